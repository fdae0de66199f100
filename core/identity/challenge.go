package identity

import "time"

// Purpose is what a one-time challenge proves; a challenge made for one
// purpose is never accepted for another.
type Purpose string

// The challenge purposes.
const (
	PurposeEmailConfirm  Purpose = "email_confirm"
	PurposePasswordReset Purpose = "password_reset"
	PurposePhoneLogin    Purpose = "phone_login"
	PurposeEmailLogin    Purpose = "email_login"
	PurposeEmailBind     Purpose = "email_bind"
)

// Challenge is one outstanding one-time code or link token. Only the hash of
// its secret is kept; ID is that hash, so a presented secret finds its
// challenge without a scan.
type Challenge struct {
	ID          string // hex SHA-256 of the secret
	Purpose     Purpose
	UserID      string // empty when the challenge names only a Target
	Target      string // the email or phone it was sent to
	CreatedAt   time.Time
	ExpiresAt   time.Time
	MaxAttempts int
}
