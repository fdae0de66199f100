package vpnapi

import (
	"net/http"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/identity"
	"gatehouse/core/vpn"
)

// resource is Laravel's API resource wrapping: {"data": ...}.
type resource struct {
	Data any `json:"data"`
}

// writeData answers v as a Laravel API resource.
func writeData(w http.ResponseWriter, status int, v any) {
	httpapi.WriteJSON(w, status, resource{Data: v})
}

// iso writes a time as Laravel serializes dates: ISO-8601 in UTC with
// microseconds ("2025-03-01T12:00:00.000000Z").
func iso(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// isoOrNil is iso, or null for the zero time.
func isoOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := iso(t)
	return &s
}

// userResource is a user as /api/user shows it.
type userResource struct {
	ID            int64   `json:"id"`
	Name          string  `json:"name"`
	Email         *string `json:"email"`
	EmailVerified bool    `json:"email_verified"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
}

func newUserResource(u identity.User) userResource {
	r := userResource{ID: u.Number, Name: u.DisplayName(), EmailVerified: u.EmailVerified,
		CreatedAt: iso(u.CreatedAt), UpdatedAt: iso(u.UpdatedAt)}
	if u.Email != "" {
		r.Email = &u.Email
	}
	return r
}

// statusNone is the status of a user who never had a subscription.
const statusNone = "none"

// subscriptionResource is a subscription as /api/subscription and
// /api/userApp show it; a user without one reads status "none".
type subscriptionResource struct {
	Plan         *string `json:"plan"`
	Status       string  `json:"status"`
	IsActive     bool    `json:"is_active"`
	StartedAt    *string `json:"started_at"`
	ExpiresAt    *string `json:"expires_at"`
	DaysLeft     int     `json:"days_left"`
	DeviceLimit  *int    `json:"device_limit"`
	DevicesCount int     `json:"devices_count"`
	TrafficLimit *int64  `json:"traffic_limit"` // bytes; null: unlimited
	TrafficUsed  int64   `json:"traffic_used"`  // bytes, as the servers last reported
}

// newSubscriptionResource shows s (ok false: the user has none) at now.
func newSubscriptionResource(s vpn.Subscription, ok bool, devices int, keys []vpn.AccessKey, now time.Time) subscriptionResource {
	r := subscriptionResource{Status: statusNone, DevicesCount: devices}
	for _, k := range keys {
		r.TrafficUsed += k.TrafficBytes
	}
	if !ok {
		return r
	}
	r.Plan = &s.Plan
	r.Status = string(s.Status)
	r.IsActive = s.Active(now)
	r.StartedAt = isoOrNil(s.StartedAt)
	r.ExpiresAt = isoOrNil(s.ExpiresAt)
	if r.IsActive {
		// Whole days, rounded up: a subscription ending in an hour has 1 day left.
		r.DaysLeft = int((s.ExpiresAt.Sub(now) + 24*time.Hour - 1) / (24 * time.Hour))
	}
	r.DeviceLimit = &s.DeviceLimit
	if s.TrafficLimitBytes > 0 {
		r.TrafficLimit = &s.TrafficLimitBytes
	}
	return r
}

// deviceResource is one of the user's devices.
type deviceResource struct {
	ID             int64  `json:"id"`
	ClientDeviceID string `json:"client_device_id"`
	Name           string `json:"name"`
	CreatedAt      string `json:"created_at"`
	LastSeenAt     string `json:"last_seen_at"`
}

func newDeviceResource(d vpn.Device) deviceResource {
	return deviceResource{ID: d.ID, ClientDeviceID: d.ClientID, Name: d.Name,
		CreatedAt: iso(d.CreatedAt), LastSeenAt: iso(d.LastSeen)}
}

func newDeviceResources(ds []vpn.Device) []deviceResource {
	out := make([]deviceResource, 0, len(ds))
	for _, d := range ds {
		out = append(out, newDeviceResource(d))
	}
	return out
}

// serverResource is one server of POST /api/servers.
type serverResource struct {
	ID                int64  `json:"id"`
	Country           string `json:"country"`
	City              string `json:"city"`
	PingURL           string `json:"ping_url"`
	Protocol          string `json:"protocol"`
	ActiveConnections int    `json:"active_connections"`
	Capacity          *int   `json:"capacity"` // null: unbounded
	HasKey            bool   `json:"has_key"`  // the device asked about has a key here
}

func newServerResource(s vpn.Server, hasKey bool) serverResource {
	r := serverResource{ID: s.ID, Country: s.Country, City: s.City, PingURL: s.PingURL,
		Protocol: string(s.Protocol), ActiveConnections: s.ActiveConnections, HasKey: hasKey}
	if s.Capacity > 0 {
		r.Capacity = &s.Capacity
	}
	return r
}
