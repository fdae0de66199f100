package vpn

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDeviceText bounds a device's client ID and name, in characters.
const MaxDeviceText = 255

// Device is one of a user's devices that may hold keys. The device limit of
// the user's subscription bounds how many a user has.
type Device struct {
	ID        int64  // the server's id, from 1; unique across users
	UserID    string //
	ClientID  string // the client's own device id (device_id at login); unique per user
	Name      string
	CreatedAt time.Time
	LastSeen  time.Time
}

// SessionDeviceID is the ID of the session device an app signs in on
// from VPN device id, so removing the VPN device signs the app out there.
func SessionDeviceID(id int64) string { return "vpn-" + strconv.FormatInt(id, 10) }

// NewDevice checks a device a client names at now and returns it, without
// an ID (the store assigns one). fault.Invalid on "device_id" or "device_name".
func NewDevice(userID, clientID, name string, now time.Time) (Device, error) {
	clientID = strings.TrimSpace(clientID)
	name = strings.TrimSpace(name)
	switch {
	case clientID == "":
		return Device{}, invalid("device_id", "required", "device_id is required")
	case !utf8.ValidString(clientID) || utf8.RuneCountInString(clientID) > MaxDeviceText:
		return Device{}, invalid("device_id", "max", "device_id must be at most 255 characters")
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxDeviceText:
		return Device{}, invalid("device_name", "max", "device_name must be at most 255 characters")
	}
	if name == "" {
		name = clientID
	}
	return Device{UserID: userID, ClientID: clientID, Name: name, CreatedAt: now, LastSeen: now}, nil
}

// AdmitDevice decides whether a user who has `registered` devices may add
// one more under limit: nil, or fault.Forbidden vpn.device_limit with a
// message that says how to free a slot.
func AdmitDevice(registered, limit int) error {
	if registered < limit {
		return nil
	}
	return DeviceLimit(limit)
}
