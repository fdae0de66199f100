package sessions

import (
	"time"

	"gatehouse/core/fault"
)

// The default lifetimes (DESIGN.md §3: access 30 minutes, refresh 30 days).
const (
	DefaultAccessTTL  = 30 * time.Minute
	DefaultRefreshTTL = 720 * time.Hour
	// DefaultSessionTTL bounds a family however often it is refreshed, so a
	// stolen but diligently refreshed token does not live forever.
	DefaultSessionTTL = 90 * 24 * time.Hour
)

// Leeway is the clock skew tolerated between replicas when checking token
// times: small, so an expired token is not honoured for long.
const Leeway = 30 * time.Second

// Policy is how sessions are issued: who issues access tokens, for which
// default audience, and how long each kind of token lives.
type Policy struct {
	Issuer     string
	Audience   string        // used when a caller names no audience
	AccessTTL  time.Duration // access-token lifetime; 0 means DefaultAccessTTL
	RefreshTTL time.Duration // each refresh token's lifetime; 0 means DefaultRefreshTTL
	SessionTTL time.Duration // absolute end of a family; 0 means DefaultSessionTTL
}

// WithDefaults returns p with zero lifetimes replaced by the defaults.
func (p Policy) WithDefaults() Policy {
	if p.AccessTTL == 0 {
		p.AccessTTL = DefaultAccessTTL
	}
	if p.RefreshTTL == 0 {
		p.RefreshTTL = DefaultRefreshTTL
	}
	if p.SessionTTL == 0 {
		p.SessionTTL = max(DefaultSessionTTL, p.RefreshTTL)
	}
	return p
}

// Validate reports the first rule p breaks, as a fault.Invalid naming the field.
// Call it on WithDefaults' result.
func (p Policy) Validate() error {
	switch {
	case p.Issuer == "":
		return fault.Invalidf("sessions.issuer", "required", "sessions: issuer is required")
	case p.Audience == "":
		return fault.Invalidf("sessions.audience", "required", "sessions: default audience is required")
	case p.AccessTTL < time.Minute:
		return fault.Invalidf("sessions.access_ttl", "min", "sessions: access token lifetime %s is under a minute", p.AccessTTL)
	case p.RefreshTTL <= p.AccessTTL:
		return fault.Invalidf("sessions.refresh_ttl", "gt_access", "sessions: refresh lifetime %s must exceed access lifetime %s", p.RefreshTTL, p.AccessTTL)
	case p.SessionTTL < p.RefreshTTL:
		return fault.Invalidf("sessions.session_ttl", "gte_refresh", "sessions: session lifetime %s is shorter than refresh lifetime %s", p.SessionTTL, p.RefreshTTL)
	}
	return nil
}

// AudienceOr returns aud, or the default audience when aud is empty.
func (p Policy) AudienceOr(aud string) string {
	if aud == "" {
		return p.Audience
	}
	return aud
}
