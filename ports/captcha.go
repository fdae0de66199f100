package ports

import "context"

// Captcha checks, with the vendor, that a human solved a challenge in the
// client before a request that costs us something (sending a code) is served.
type Captcha interface {
	// Verify checks token, as given by the client, once: a token that passed
	// is spent, and verifying it again fails. remoteIP is the client's
	// address (httpapi.ClientIP), sent to the vendor; empty when unknown.
	// action names what the request does ("phone_otp", "email_link"); a
	// vendor that reports the token's action (reCAPTCHA v3, Turnstile) must
	// report this one, unless the adapter was configured with a fixed one.
	//
	// It returns nil when the token passes, or:
	//   - fault.Invalid captcha.required: token is empty;
	//   - fault.Invalid captcha.invalid: the vendor refused the token, it was
	//     already used or has expired (the vendors' timeout-or-duplicate), or
	//     its action or score does not pass;
	//   - fault.Unavailable captcha.unavailable: the vendor could not be
	//     asked or failed (RetryAfter set when it said how long to wait).
	//     An adapter configured to fail open returns nil instead, and logs it.
	Verify(ctx context.Context, token, remoteIP, action string) error
}
