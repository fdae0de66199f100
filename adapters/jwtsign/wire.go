package jwtsign

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"gatehouse/core/sessions"
)

// wireClaims is the JSON payload of an access token.
type wireClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	Audience  audience         `json:"aud"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	NotBefore *jwt.NumericDate `json:"nbf,omitempty"`
	ID        string           `json:"jti"`
	SessionID string           `json:"sid"`
	Roles     []string         `json:"roles,omitempty"`
}

func toWire(c sessions.Claims) wireClaims {
	return wireClaims{
		Issuer:    c.Issuer,
		Subject:   c.Subject,
		Audience:  audience{c.Audience},
		ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
		IssuedAt:  jwt.NewNumericDate(c.IssuedAt),
		ID:        c.ID,
		SessionID: c.SessionID,
		Roles:     c.Roles,
	}
}

// fromWire returns the claims, or an error when the token names more than
// one audience: an access token here is meant for exactly one.
func fromWire(w wireClaims) (sessions.Claims, error) {
	if len(w.Audience) > 1 {
		return sessions.Claims{}, errors.New("more than one audience")
	}
	c := sessions.Claims{
		Issuer:    w.Issuer,
		Subject:   w.Subject,
		ExpiresAt: w.ExpiresAt.Time(),
		IssuedAt:  w.IssuedAt.Time(),
		ID:        w.ID,
		SessionID: w.SessionID,
		Roles:     w.Roles,
	}
	if len(w.Audience) == 1 {
		c.Audience = w.Audience[0]
	}
	return c, nil
}

// notBeforeOK reports whether an optional nbf allows use at now.
func notBeforeOK(w wireClaims, now time.Time) bool {
	return w.NotBefore == nil || !w.NotBefore.Time().After(now.Add(sessions.Leeway))
}

// audience is "aud": written as one string, read as a string or an array
// (RFC 7519 §4.1.3 allows both).
type audience []string

// MarshalJSON writes a single audience as a plain string.
func (a audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

// UnmarshalJSON accepts a string or an array of strings.
func (a *audience) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = audience{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*a = list
	return nil
}
