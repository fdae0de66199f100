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

// The stable reasons of the session stores' faults.
const (
	ReasonFamilyNotFound  = "sessions.family_not_found"
	ReasonFamilyExists    = "sessions.family_exists"
	ReasonRefreshNotFound = "sessions.refresh_not_found"
	ReasonRefreshExists   = "sessions.refresh_exists"
	ReasonRefreshReused   = "sessions.refresh_reused"
	ReasonKeyNotFound     = "sessions.key_not_found"
	ReasonKeyExists       = "sessions.key_exists"
	ReasonLimitInvalid    = "sessions.limit_invalid"
)

// FamilyNotFound is the fault for a session family that does not exist.
func FamilyNotFound() error {
	return fault.New(fault.NotFound, ReasonFamilyNotFound, "Session not found.")
}

// FamilyExists is the fault for storing a family under an ID in use.
func FamilyExists() error {
	return fault.New(fault.Conflict, ReasonFamilyExists, "This session ID is already in use.")
}

// RefreshNotFound is the fault for a refresh token hash no token has.
func RefreshNotFound() error {
	return fault.New(fault.NotFound, ReasonRefreshNotFound, "Refresh token not found.")
}

// RefreshExists is the fault for storing a refresh token whose hash is taken.
func RefreshExists() error {
	return fault.New(fault.Conflict, ReasonRefreshExists, "This refresh token is already stored.")
}

// RefreshReused is the fault for consuming a refresh token a second time.
func RefreshReused() error {
	return fault.New(fault.Conflict, ReasonRefreshReused, "This refresh token was already used.")
}

// KeyNotFound is the fault for a signing key that does not exist.
func KeyNotFound() error {
	return fault.New(fault.NotFound, ReasonKeyNotFound, "Signing key not found.")
}

// KeyExists is the fault for a signing key whose ID or generation is taken.
func KeyExists() error {
	return fault.New(fault.Conflict, ReasonKeyExists, "A signing key with this ID or generation already exists.")
}

// LimitInvalid is the fault for a listing asked for fewer than one entry.
func LimitInvalid() error {
	return fault.New(fault.Invalid, ReasonLimitInvalid, "The limit must be at least 1.")
}
