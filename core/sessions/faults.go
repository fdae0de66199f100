package sessions

import (
	"errors"

	"gatehouse/core/fault"
)

// The stable reasons of session faults, as the ports document them.
const (
	ReasonTokenInvalid   = "sessions.token_invalid"
	ReasonTokenExpired   = "sessions.token_expired"
	ReasonTokenRevoked   = "sessions.token_revoked"
	ReasonRefreshInvalid = "sessions.refresh_invalid"
)

// The causes behind a refused refresh token. Callers see only
// sessions.refresh_invalid (so a client cannot probe which case it hit);
// errors.Is on the returned fault still tells them apart for logs and tests.
var (
	ErrRefreshUnknown = errors.New("refresh token unknown")
	ErrRefreshExpired = errors.New("refresh token expired")
	ErrFamilyRevoked  = errors.New("refresh family revoked")
	ErrFamilyExpired  = errors.New("refresh family expired")
	ErrRefreshReused  = errors.New("refresh token reused")
)

// RefreshInvalid classifies why a refresh token was refused as the one fault
// Rotate and Logout return for it.
func RefreshInvalid(cause error) error {
	return fault.Wrap(cause, fault.Unauthenticated, ReasonRefreshInvalid, "Refresh token is invalid.")
}

// TokenInvalid is the fault for an access token that is malformed, forged or
// not meant for this issuer or audience. cause is kept for logs only.
func TokenInvalid(cause error) error {
	return fault.Wrap(cause, fault.Unauthenticated, ReasonTokenInvalid, "Access token is invalid.")
}

// TokenExpired is the fault for a genuine access token past its expiry.
func TokenExpired() error {
	return fault.New(fault.Unauthenticated, ReasonTokenExpired, "Access token has expired.")
}

// TokenRevoked is the fault for a genuine access token whose session ended.
func TokenRevoked() error {
	return fault.New(fault.Unauthenticated, ReasonTokenRevoked, "Session has ended.")
}

// ReasonDeviceNotFound is the reason of DeviceNotFound.
const ReasonDeviceNotFound = "sessions.device_not_found"

// DeviceNotFound is the fault for a device that does not exist or is not
// the user's.
func DeviceNotFound() error {
	return fault.New(fault.NotFound, ReasonDeviceNotFound, "Device not found.")
}
