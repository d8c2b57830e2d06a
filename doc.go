// Package genidmigrate is the root of the genid-migrate module. The library
// lives in its subpackages: genid (the ID and its spellings), readers/…
// and writers/…; the command is cmd/genid-migrate.
package genidmigrate
