package sync

import "elvcare/sync/store"

// Migrations are the data migrations of ELVcare, append-only: a released
// migration is never edited or removed, only followed by a new one. Each has
// its own test in migrations_test.go.
var Migrations = []store.Migration{
	{Version: 1, Name: "initial layout", Apply: func(store.Tx) error { return nil }},
	{Version: 2, Name: "built-in checklist templates", Apply: InstallBuiltinTemplates},
}
