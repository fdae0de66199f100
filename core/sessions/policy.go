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
	// DefaultOpaqueIdleTTL ends an opaque session a week after its last use.
	DefaultOpaqueIdleTTL = 7 * 24 * time.Hour
	// DefaultOpaqueMaxTTL ends an opaque session 30 days after sign-in,
	// however often it is used.
	DefaultOpaqueMaxTTL = 30 * 24 * time.Hour
	// DefaultOpaqueTouchEvery is how often at most an opaque session's use
	// is written back to the store: often enough that the idle expiry is
	// at most this much early, rarely enough that the store sees no write
	// per request.
	DefaultOpaqueTouchEvery = 5 * time.Minute
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

	OpaqueIdleTTL    time.Duration // an opaque session ends this long after its last use; 0 means DefaultOpaqueIdleTTL
	OpaqueMaxTTL     time.Duration // absolute end of an opaque session; 0 means DefaultOpaqueMaxTTL
	OpaqueTouchEvery time.Duration // coarsest write-back of an opaque session's use; 0 means the default
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
	if p.OpaqueIdleTTL == 0 {
		p.OpaqueIdleTTL = DefaultOpaqueIdleTTL
	}
	if p.OpaqueMaxTTL == 0 {
		p.OpaqueMaxTTL = max(DefaultOpaqueMaxTTL, p.OpaqueIdleTTL)
	}
	if p.OpaqueTouchEvery == 0 {
		// A short idle lifetime needs a finer write-back, or sessions in
		// steady use would expire between two writes.
		p.OpaqueTouchEvery = min(DefaultOpaqueTouchEvery, p.OpaqueIdleTTL/4)
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
	case p.OpaqueIdleTTL < time.Minute:
		return fault.Invalidf("sessions.opaque_idle_ttl", "min", "sessions: opaque idle lifetime %s is under a minute", p.OpaqueIdleTTL)
	case p.OpaqueMaxTTL < p.OpaqueIdleTTL:
		return fault.Invalidf("sessions.opaque_max_ttl", "gte_idle", "sessions: opaque session lifetime %s is shorter than its idle lifetime %s", p.OpaqueMaxTTL, p.OpaqueIdleTTL)
	case p.OpaqueTouchEvery <= 0 || p.OpaqueTouchEvery > p.OpaqueIdleTTL/2:
		return fault.Invalidf("sessions.opaque_touch_every", "range", "sessions: opaque write-back interval %s must be positive and at most half the idle lifetime %s", p.OpaqueTouchEvery, p.OpaqueIdleTTL)
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
