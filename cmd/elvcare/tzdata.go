package main

// The business rules count days in Asia/Shanghai; embedding the time-zone
// database keeps that true on minimal images without /usr/share/zoneinfo.
import _ "time/tzdata"
