package linkcache

import (
	"encoding/json"
	"time"

	"gatehouse/core/links"
)

// record is a link as the shared cache keeps it (JSON): the wire form
// stays here, so core/links carries no tags.
type record struct {
	ID           string    `json:"id"`
	Alias        string    `json:"alias"`
	Target       string    `json:"target"`
	OwnerID      string    `json:"owner"`
	Redirects    int64     `json:"redirects"`
	CreatedAt    time.Time `json:"created"`
	UpdatedAt    time.Time `json:"updated"`
	ExpiresAt    time.Time `json:"expires,omitzero"`
	MaxRedirects int64     `json:"max,omitempty"`
}

func encodeLink(l links.Link) ([]byte, error) {
	return json.Marshal(record(l))
}

func decodeLink(b []byte) (links.Link, error) {
	var r record
	err := json.Unmarshal(b, &r)
	return links.Link(r), err
}
