package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Sizes of the one-time codes people type to sign in by phone or bind an
// email: six digits, as contract 000 shows them.
const (
	OTPDigits = 6
	// OTPRandomBytes is how many random bytes make one code: 64 bits
	// reduced modulo 10^6 leave a bias below 10^-13.
	OTPRandomBytes = 8
	otpModulus     = 1_000_000
)

// OTPFromRandom turns OTPRandomBytes random bytes (from a CSPRNG) into an
// OTPDigits-digit decimal code, leading zeros kept.
func OTPFromRandom(b []byte) (string, error) {
	if len(b) != OTPRandomBytes {
		return "", fmt.Errorf("identity: code needs %d random bytes, got %d", OTPRandomBytes, len(b))
	}
	return fmt.Sprintf("%0*d", OTPDigits, binary.BigEndian.Uint64(b)%otpModulus), nil
}

// MinCodeKeyBytes is the least key material CodeID accepts: a keyed hash of
// a six-digit code is only as strong as its key, since without the key
// there is nothing to try the 10^6 codes against.
const MinCodeKeyBytes = 32

// CodeID is the stored form of a one-time code or link token, and the ID of
// its Challenge: the hex HMAC-SHA256, under the server's key, of the
// purpose, the recipient and the secret. A six-digit code alone would be
// found by trying a million hashes; keyed, a leaked table reveals nothing.
// Binding purpose and recipient into the ID means a code is found only
// when presented for what and whom it was made: a phone-login code does
// not bind an email, nor sign in another phone.
func CodeID(key []byte, purpose Purpose, recipient, secret string) string {
	return keyed(key, "code", string(purpose), recipient, secret)
}

// RecipientKey names a recipient of a purpose in counters (attempts,
// cooldowns, budgets) without keeping the address in clear.
func RecipientKey(key []byte, purpose Purpose, recipient string) string {
	return keyed(key, "recipient", string(purpose), recipient)[:32]
}

// keyed is the hex HMAC-SHA256 of parts, each length-prefixed so that no
// two different lists of parts hash alike.
func keyed(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	var n [4]byte
	for _, p := range parts {
		binary.BigEndian.PutUint32(n[:], uint32(len(p)))
		m.Write(n[:])
		m.Write([]byte(p))
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Limits of one-time codes.
const (
	// MaxCodeTTL is the longest a code may live.
	MaxCodeTTL = 10 * time.Minute
	// MaxCodeAttempts is the most presentations a code may get.
	MaxCodeAttempts = 10
)

// CodePolicy is how one-time codes are issued and checked. A zero field
// takes the default named beside it.
type CodePolicy struct {
	TTL      time.Duration // how long a code lives (10m, at most MaxCodeTTL)
	Attempts int           // presentations per code, right or wrong (5)
	Cooldown time.Duration // least time between two sends to one recipient (60s)
	// Window is the period of the budgets below (1h).
	Window time.Duration
	// PerRecipient bounds sends to one recipient per Window (10).
	PerRecipient int
	// PerIP bounds sends asked by one client address per Window (30).
	PerIP int
}

// WithDefaults returns p with every zero field set to its default.
func (p CodePolicy) WithDefaults() CodePolicy {
	if p.TTL <= 0 {
		p.TTL = MaxCodeTTL
	}
	if p.Attempts <= 0 {
		p.Attempts = DefaultChallengeAttempts
	}
	if p.Cooldown <= 0 {
		p.Cooldown = time.Minute
	}
	if p.Window <= 0 {
		p.Window = time.Hour
	}
	if p.PerRecipient <= 0 {
		p.PerRecipient = 10
	}
	if p.PerIP <= 0 {
		p.PerIP = 30
	}
	return p
}

// Validate refuses a policy beyond the limits: a code living longer than
// MaxCodeTTL, more than MaxCodeAttempts presentations, a cooldown longer
// than the window.
func (p CodePolicy) Validate() error {
	p = p.WithDefaults()
	switch {
	case p.TTL > MaxCodeTTL:
		return fmt.Errorf("identity: code lifetime %s exceeds %s", p.TTL, MaxCodeTTL)
	case p.Attempts > MaxCodeAttempts:
		return fmt.Errorf("identity: %d attempts per code exceed %d", p.Attempts, MaxCodeAttempts)
	case p.Cooldown > p.Window:
		return fmt.Errorf("identity: code cooldown %s exceeds the budget window %s", p.Cooldown, p.Window)
	}
	return nil
}

// Spec is the ChallengeSpec of a code sent for purpose to recipient, for
// userID when the code is bound to an account.
func (p CodePolicy) Spec(purpose Purpose, recipient, userID string) ChallengeSpec {
	p = p.WithDefaults()
	return ChallengeSpec{Purpose: purpose, Target: recipient, UserID: userID, TTL: p.TTL, MaxAttempts: p.Attempts}
}

// Presented is one presentation of a code, as the use case found it.
type Presented struct {
	Attempt int       // this presentation's number for the recipient, from 1
	Found   bool      // whether the code's ID names a live challenge
	Stored  Challenge // that challenge when Found
	Purpose Purpose   // what the code is presented for
	UserID  string    // the account presenting it, for codes bound to one
}

// Judge decides a presentation at now: beyond the attempt budget it is
// ErrCodeExhausted whatever the code (so the budget holds against
// guessing); a code that names no challenge of this purpose, or one made
// for another account, is ErrCodeInvalid; a right code past its life is
// ErrCodeExpired (telling so leaks nothing: the code was right and is dead).
func (p CodePolicy) Judge(pr Presented, now time.Time) error {
	p = p.WithDefaults()
	c := pr.Stored
	switch {
	case pr.Attempt > p.Attempts || (pr.Found && pr.Attempt > c.MaxAttempts):
		return ErrCodeExhausted()
	case !pr.Found || c.Purpose != pr.Purpose || c.UserID != pr.UserID:
		return ErrCodeInvalid()
	case c.Expired(now):
		return ErrCodeExpired()
	}
	return nil
}
