package domain_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"elvcare/domain"
)

// arID is a fixed, valid UUIDv7-shaped id numbered n, so tests read well.
func arID(n int) string { return fmt.Sprintf("01920000-0000-7000-8000-%012d", n) }

// arDate parses a date or fails the test.
func arDate(t *testing.T, s string) domain.Date {
	t.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// arAt is a fixed instant in UTC on 2026-03-02 plus h hours.
func arAt(h int) time.Time {
	return time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
}

// arFields returns the field problems of a domain error, nil for nil, and
// fails the test for an error of another shape.
func arFields(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *domain.Error", err)
	}
	if de.Kind != domain.KindInvalid {
		t.Fatalf("error %v has kind %v, want KindInvalid", err, de.Kind)
	}
	return de.Fields
}

// arCode returns the code of a domain error, "" for nil.
func arCode(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code
	}
	if err != nil {
		return "not a domain error: " + err.Error()
	}
	return ""
}

// asDomainError is errors.As for *domain.Error.
func asDomainError(err error, target **domain.Error) bool { return errors.As(err, target) }
