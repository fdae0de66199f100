package vpn

import "time"

// Status is where a subscription stands as recorded; an active one whose
// ExpiresAt has passed counts as expired (see Subscription.Active).
type Status string

// The subscription statuses.
const (
	StatusActive    Status = "active"
	StatusExpired   Status = "expired"
	StatusCancelled Status = "cancelled"
)

// Subscription is a user's paid VPN access. A user has at most one.
type Subscription struct {
	UserID    string
	Plan      string
	Status    Status
	StartedAt time.Time
	ExpiresAt time.Time
	// DeviceLimit is how many devices the user may register; at least 1.
	DeviceLimit int
	// TrafficLimitBytes caps each key's traffic where the provisioner
	// enforces it (Outline data limits); 0: unlimited.
	TrafficLimitBytes int64
	UpdatedAt         time.Time
	// SettledAt is when the keys of an ended subscription were all revoked
	// at their provisioners; zero while the subscription is active or its
	// keys are still to revoke.
	SettledAt time.Time
}

// DefaultPlan names a grant that gave no plan.
const DefaultPlan = "standard"

// Grant is what an administrator gives a user.
type Grant struct {
	Days              int
	Devices           int
	Plan              string // empty: the current plan, else DefaultPlan
	TrafficLimitBytes int64  // 0: unlimited
}

// Active reports whether s gives access at now.
func (s Subscription) Active(now time.Time) bool {
	return s.Status == StatusActive && now.Before(s.ExpiresAt)
}

// Ended reports whether s no longer gives access at now: cancelled,
// expired, or active past its expiry.
func (s Subscription) Ended(now time.Time) bool { return !s.Active(now) }

// Effective returns s with Status as it stands at now: an active
// subscription past its expiry reads expired.
func (s Subscription) Effective(now time.Time) Subscription {
	if s.Status == StatusActive && !now.Before(s.ExpiresAt) {
		s.Status = StatusExpired
	}
	return s
}

// RequireActive is nil when s gives access at now, else fault.Forbidden
// vpn.subscription_inactive.
func (s Subscription) RequireActive(now time.Time) error {
	if s.Active(now) {
		return nil
	}
	return SubscriptionInactive()
}

// Validate checks a grant. fault.Invalid on "days", "devices" or "traffic_limit".
func (g Grant) Validate() error {
	switch {
	case g.Days < 1 || g.Days > 3660:
		return invalid("days", "range", "days must be between 1 and 3660")
	case g.Devices < 1 || g.Devices > 1000:
		return invalid("devices", "range", "devices must be between 1 and 1000")
	case g.TrafficLimitBytes < 0:
		return invalid("traffic_limit", "min", "traffic_limit must be zero (unlimited) or more")
	}
	return nil
}

// Apply returns the subscription after granting g at now to the user of
// prev (the zero Subscription when the user has none): an active
// subscription is extended from its expiry, anything else starts at now.
// The device limit and traffic limit become g's. Call Validate first.
func (g Grant) Apply(userID string, prev Subscription, now time.Time) Subscription {
	from := now
	s := prev
	if prev.Active(now) {
		from = prev.ExpiresAt
	} else {
		s.StartedAt = now
	}
	s.UserID = userID
	s.Status = StatusActive
	s.ExpiresAt = from.Add(time.Duration(g.Days) * 24 * time.Hour)
	s.DeviceLimit = g.Devices
	s.TrafficLimitBytes = g.TrafficLimitBytes
	switch {
	case g.Plan != "":
		s.Plan = g.Plan
	case s.Plan == "":
		s.Plan = DefaultPlan
	}
	s.UpdatedAt = now
	s.SettledAt = time.Time{}
	return s
}

// Cancel returns s cancelled at now; its keys are then due for revocation.
func (s Subscription) Cancel(now time.Time) Subscription {
	s.Status = StatusCancelled
	s.UpdatedAt = now
	s.SettledAt = time.Time{}
	return s
}
