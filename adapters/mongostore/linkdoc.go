package mongostore

import (
	"time"

	"gatehouse/core/links"
)

// linkDoc is a short link as stored in colLinks; a unique index on alias
// keeps aliases unique.
type linkDoc struct {
	ID           string     `bson:"_id"`
	Alias        string     `bson:"alias"`
	Target       string     `bson:"target"`
	OwnerID      string     `bson:"owner_id"`
	Redirects    int64      `bson:"redirects"`
	CreatedAt    *time.Time `bson:"created_at"`
	UpdatedAt    *time.Time `bson:"updated_at"`
	ExpiresAt    *time.Time `bson:"expires_at"`
	MaxRedirects int64      `bson:"max_redirects"`
}

func toLinkDoc(l links.Link) linkDoc {
	return linkDoc{
		ID:           l.ID,
		Alias:        l.Alias,
		Target:       l.Target,
		OwnerID:      l.OwnerID,
		Redirects:    l.Redirects,
		CreatedAt:    toDBTime(l.CreatedAt),
		UpdatedAt:    toDBTime(l.UpdatedAt),
		ExpiresAt:    toDBTime(l.ExpiresAt),
		MaxRedirects: l.MaxRedirects,
	}
}

func (d linkDoc) link() links.Link {
	return links.Link{
		ID:           d.ID,
		Alias:        d.Alias,
		Target:       d.Target,
		OwnerID:      d.OwnerID,
		Redirects:    d.Redirects,
		CreatedAt:    fromDBTime(d.CreatedAt),
		UpdatedAt:    fromDBTime(d.UpdatedAt),
		ExpiresAt:    fromDBTime(d.ExpiresAt),
		MaxRedirects: d.MaxRedirects,
	}
}
