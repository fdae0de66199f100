package mongostore

import "time"

// toDBTime is t as stored: UTC at millisecond precision, nil (null) when
// zero, so "not set" is queryable as null.
func toDBTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Millisecond)
	return &u
}

// fromDBTime is the inverse of toDBTime.
func fromDBTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
