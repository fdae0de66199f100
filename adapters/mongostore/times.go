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

// unixMicro is t in Unix microseconds, 0 when zero.
func unixMicro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicro is the time of us (Unix microseconds), or of the date stored
// beside it when a document predates the microsecond field.
func fromMicro(us int64, date *time.Time) time.Time {
	if us == 0 {
		return fromDBTime(date)
	}
	return time.UnixMicro(us).UTC()
}

// fromDBTime is the inverse of toDBTime.
func fromDBTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
