package sessionsvc

import (
	"encoding/json"
	"time"

	"gatehouse/core/sessions"
)

// opaqueEntry is the cached form of an opaque session's Family: JSON with
// times as Unix milliseconds (the precision stores keep), which decodes
// several times faster than RFC 3339 strings, and is decoded on every check.
type opaqueEntry struct {
	ID, UserID, DeviceID, Audience, Kind, TokenHash, Reason string
	Created, Expires, Revoked, LastUsed                     int64 // Unix ms; 0 for a zero time
}

// encodeOpaque returns the cache entry of f.
func encodeOpaque(f sessions.Family) ([]byte, error) {
	return json.Marshal(opaqueEntry{
		ID: f.ID, UserID: f.UserID, DeviceID: f.DeviceID, Audience: f.Audience, Kind: f.Kind,
		TokenHash: f.TokenHash, Reason: f.Reason,
		Created: unixMS(f.CreatedAt), Expires: unixMS(f.ExpiresAt), Revoked: unixMS(f.RevokedAt), LastUsed: unixMS(f.LastUsedAt),
	})
}

// decodeOpaque returns the Family of a cache entry.
func decodeOpaque(b []byte) (sessions.Family, error) {
	var e opaqueEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return sessions.Family{}, err
	}
	return sessions.Family{
		ID: e.ID, UserID: e.UserID, DeviceID: e.DeviceID, Audience: e.Audience, Kind: e.Kind,
		TokenHash: e.TokenHash, Reason: e.Reason,
		CreatedAt: fromMS(e.Created), ExpiresAt: fromMS(e.Expires), RevokedAt: fromMS(e.Revoked), LastUsedAt: fromMS(e.LastUsed),
	}, nil
}

func unixMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
