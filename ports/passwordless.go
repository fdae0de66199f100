package ports

import (
	"context"

	"gatehouse/core/identity"
)

// CodeRequest asks for a one-time code or link to be sent.
type CodeRequest struct {
	Recipient    string          // a phone in any human spelling, or an email address
	CaptchaToken string          // as the client got it from the captcha widget
	IP           string          // the client's address: captcha, budgets
	Locale       identity.Locale // the language of the message; "" is English
}

// Passwordless is the use cases of signing in without a password: a code
// sent to a phone, a link mailed to an address, and an email bound to an
// account by a code. Every send checks the captcha first (before anything
// is looked up or sent) and answers the same, after the same work, whether
// or not the recipient has an account or can be reached: the part that
// depends on it runs off the request path.
//
// Codes are six digits, single use, bound to their purpose and recipient,
// with a lifetime and an attempt budget (identity.CodePolicy); sends to one
// recipient are spaced by a cooldown and, with sends from one client
// address, bounded per hour. Every method may return fault.Unavailable
// when storage or the cache fails.
type Passwordless interface {
	// SendPhoneCode sends a sign-in code to a phone. fault.Invalid on field
	// "recipient" for a number no plan assigns; fault.Invalid captcha.required
	// or captcha.invalid, fault.Unavailable captcha.unavailable;
	// fault.RateLimited identity.code_cooldown (RetryAfter) within the
	// cooldown, identity.throttled (RetryAfter) beyond a budget;
	// fault.Unavailable identity.delivery_disabled when no phone channel is
	// set up.
	SendPhoneCode(ctx context.Context, r CodeRequest) error
	// PhoneLogin spends a phone's code and returns its account; the first
	// sign-in of a new phone creates the account with the phone verified
	// when so configured (one account however many sign in at once).
	// fault.Invalid on "phone" or "otp" for malformed input;
	// fault.Unauthenticated identity.code_invalid for a wrong or used code,
	// and, when accounts are not created, for a phone without one;
	// fault.Gone identity.code_expired or identity.code_exhausted;
	// fault.Forbidden identity.blocked.
	PhoneLogin(ctx context.Context, phone, code, ip string) (identity.User, error)

	// SendLoginLink mails a single-use sign-in link to an address when an
	// account has it. Faults as SendPhoneCode, on field "recipient"; with no
	// mail channel, fault.Unavailable identity.delivery_disabled.
	SendLoginLink(ctx context.Context, r CodeRequest) error
	// RedeemLoginLink spends a link's token and returns its account, the
	// email now verified. fault.Unauthenticated identity.code_invalid;
	// fault.Gone identity.code_expired or identity.code_exhausted;
	// fault.Forbidden identity.blocked.
	RedeemLoginLink(ctx context.Context, token, ip string) (identity.User, error)

	// SendBindCode mails a code to bind an address to the user's account,
	// only when no account has the address. Faults as SendLoginLink;
	// fault.NotFound identity.user_not_found for an unknown user.
	SendBindCode(ctx context.Context, userID string, r CodeRequest) error
	// BindEmail spends a bind code and sets the address, verified, on the
	// user's account, which it returns. Faults as PhoneLogin on fields
	// "email" and "otp"; fault.Conflict identity.email_taken when another
	// account has the address by now.
	BindEmail(ctx context.Context, userID, email, code, ip string) (identity.User, error)
}

// CodeKeys gives the server's secret key for the keyed hashes one-time codes
// are stored as. Every replica must get the same key.
type CodeKeys interface {
	// CodeKey returns at least identity.MinCodeKeyBytes of key material.
	CodeKey(ctx context.Context) ([]byte, error)
}
