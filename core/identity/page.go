package identity

import "gatehouse/core/fault"

// Paging of account listings, shared by every way of listing accounts
// (contract 004's directory, `gatehouse user list`), so they agree.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// CheckPage checks a page of a listing: offset at least 0, limit 1 to
// MaxPageSize. fault.Invalid on field "offset" or "limit".
func CheckPage(offset, limit int) error {
	switch {
	case offset < 0:
		return fault.Invalidf("offset", "min", "offset must not be negative")
	case limit < 1 || limit > MaxPageSize:
		return fault.Invalidf("limit", "range", "limit must be 1 to %d", MaxPageSize)
	}
	return nil
}
