package mongostore

import (
	"time"

	"gatehouse/core/sessions"
)

// familyDoc is a refresh-token family as stored in colFamilies.
// RevokedAt is null while the family is live.
type familyDoc struct {
	ID        string     `bson:"_id"`
	UserID    string     `bson:"user_id"`
	DeviceID  string     `bson:"device_id"`
	Audience  string     `bson:"audience"`
	CreatedAt *time.Time `bson:"created_at"`
	ExpiresAt *time.Time `bson:"expires_at"`
	RevokedAt *time.Time `bson:"revoked_at"`
	Reason    string     `bson:"reason"`
	// Kind, TokenHash and LastUsedAt are absent from families stored before
	// opaque sessions; they read as a refresh family never touched.
	Kind       string     `bson:"kind"`
	TokenHash  string     `bson:"token_hash"`
	LastUsedAt *time.Time `bson:"last_used_at"`
}

func toFamilyDoc(f sessions.Family) familyDoc {
	return familyDoc{
		ID:         f.ID,
		UserID:     f.UserID,
		DeviceID:   f.DeviceID,
		Audience:   f.Audience,
		CreatedAt:  toDBTime(f.CreatedAt),
		ExpiresAt:  toDBTime(f.ExpiresAt),
		RevokedAt:  toDBTime(f.RevokedAt),
		Reason:     f.Reason,
		Kind:       f.Kind,
		TokenHash:  f.TokenHash,
		LastUsedAt: toDBTime(f.LastUsedAt),
	}
}

func (d familyDoc) family() sessions.Family {
	return sessions.Family{
		ID:         d.ID,
		UserID:     d.UserID,
		DeviceID:   d.DeviceID,
		Audience:   d.Audience,
		CreatedAt:  fromDBTime(d.CreatedAt),
		ExpiresAt:  fromDBTime(d.ExpiresAt),
		RevokedAt:  fromDBTime(d.RevokedAt),
		Reason:     d.Reason,
		Kind:       d.Kind,
		TokenHash:  d.TokenHash,
		LastUsedAt: fromDBTime(d.LastUsedAt),
	}
}

// refreshDoc is a refresh token as stored in colRefresh, keyed by its hash.
type refreshDoc struct {
	Hash      string     `bson:"_id"`
	FamilyID  string     `bson:"family_id"`
	UserID    string     `bson:"user_id"`
	Seq       int        `bson:"seq"`
	IssuedAt  *time.Time `bson:"issued_at"`
	ExpiresAt *time.Time `bson:"expires_at"`
}

func toRefreshDoc(t sessions.RefreshToken) refreshDoc {
	return refreshDoc{
		Hash:      t.Hash,
		FamilyID:  t.FamilyID,
		UserID:    t.UserID,
		Seq:       t.Seq,
		IssuedAt:  toDBTime(t.IssuedAt),
		ExpiresAt: toDBTime(t.ExpiresAt),
	}
}

func (d refreshDoc) token() sessions.RefreshToken {
	return sessions.RefreshToken{
		Hash:      d.Hash,
		FamilyID:  d.FamilyID,
		UserID:    d.UserID,
		Seq:       d.Seq,
		IssuedAt:  fromDBTime(d.IssuedAt),
		ExpiresAt: fromDBTime(d.ExpiresAt),
	}
}

// refreshUseDoc is the single use of a refresh token, in colRefreshUses:
// inserting it under the token's hash is the atomic claim.
type refreshUseDoc struct {
	Hash   string     `bson:"_id"`
	UserID string     `bson:"user_id"`
	UsedAt *time.Time `bson:"used_at"`
}

// deviceDoc is a device as stored in colDevices.
type deviceDoc struct {
	ID        string     `bson:"_id"`
	UserID    string     `bson:"user_id"`
	Name      string     `bson:"name"`
	UserAgent string     `bson:"user_agent"`
	IP        string     `bson:"ip"`
	CreatedAt *time.Time `bson:"created_at"`
	LastSeen  *time.Time `bson:"last_seen"`
}

func toDeviceDoc(d sessions.Device) deviceDoc {
	return deviceDoc{
		ID:        d.ID,
		UserID:    d.UserID,
		Name:      d.Name,
		UserAgent: d.UserAgent,
		IP:        d.IP,
		CreatedAt: toDBTime(d.CreatedAt),
		LastSeen:  toDBTime(d.LastSeen),
	}
}

func (d deviceDoc) device() sessions.Device {
	return sessions.Device{
		ID:        d.ID,
		UserID:    d.UserID,
		Name:      d.Name,
		UserAgent: d.UserAgent,
		IP:        d.IP,
		CreatedAt: fromDBTime(d.CreatedAt),
		LastSeen:  fromDBTime(d.LastSeen),
	}
}
