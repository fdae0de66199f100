package sessions

import "time"

// NewDevice is a device first seen at now.
func NewDevice(id, userID, name, userAgent, ip string, now time.Time) Device {
	return Device{
		ID:        id,
		UserID:    userID,
		Name:      name,
		UserAgent: userAgent,
		IP:        ip,
		CreatedAt: now,
		LastSeen:  now,
	}
}

// Seen returns d seen again at now. Details the client did not send this
// time keep their last known value.
func (d Device) Seen(name, userAgent, ip string, now time.Time) Device {
	if name != "" {
		d.Name = name
	}
	if userAgent != "" {
		d.UserAgent = userAgent
	}
	if ip != "" {
		d.IP = ip
	}
	if now.After(d.LastSeen) {
		d.LastSeen = now
	}
	return d
}

// UsableBy reports whether a sign-in of userID may reuse device d: a device
// ID named by a client is adopted only when it is already that user's, so
// one user cannot attach sessions to another's device.
func (d Device) UsableBy(userID string) bool {
	return d.ID != "" && d.UserID == userID
}
