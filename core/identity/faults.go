package identity

import "gatehouse/core/fault"

// The stable reasons of the identity context's faults, as the ports
// document them. Stores and use cases build faults with the constructors
// below; frontends match these constants, never string literals.
const (
	ReasonUserNotFound      = "identity.user_not_found"
	ReasonIDTaken           = "identity.id_taken"
	ReasonLoginTaken        = "identity.login_taken"
	ReasonEmailTaken        = "identity.email_taken"
	ReasonPhoneTaken        = "identity.phone_taken"
	ReasonStaleUser         = "identity.stale_user"
	ReasonBadCredentials    = "identity.bad_credentials"
	ReasonBlocked           = "identity.blocked"
	ReasonThrottled         = "identity.throttled"
	ReasonChallengeNotFound = "identity.challenge_not_found"
	ReasonChallengeExists   = "identity.challenge_exists"
	ReasonChallengeUsed     = "identity.challenge_used"
)

// UserNotFound is the fault for an account that does not exist.
func UserNotFound() error {
	return fault.New(fault.NotFound, ReasonUserNotFound, "User not found.")
}

// IDTaken is the fault for creating a user under an ID already in use.
func IDTaken() error {
	return fault.New(fault.Conflict, ReasonIDTaken, "This user ID is already in use.")
}

// LoginTaken, EmailTaken and PhoneTaken are the faults for a handle
// another account holds.
func LoginTaken() error {
	return fault.New(fault.Conflict, ReasonLoginTaken, "This login is already taken.")
}

// EmailTaken is the fault for an email another account holds.
func EmailTaken() error {
	return fault.New(fault.Conflict, ReasonEmailTaken, "This email is already taken.")
}

// PhoneTaken is the fault for a phone number another account holds.
func PhoneTaken() error {
	return fault.New(fault.Conflict, ReasonPhoneTaken, "This phone number is already taken.")
}

// HandleTaken is the fault for the handle of kind "login", "email",
// "phone" or "telegram" that another account holds.
func HandleTaken(kind string) error {
	switch kind {
	case "telegram":
		return TelegramTaken()
	case "email":
		return EmailTaken()
	case "phone":
		return PhoneTaken()
	default:
		return LoginTaken()
	}
}

// ErrStaleUser is the fault of a store Update whose user carries a Version
// other than the stored one: someone changed the account after it was read.
func ErrStaleUser() error {
	return fault.New(fault.Conflict, ReasonStaleUser, "The account was changed meanwhile; try again.")
}

// BadCredentials is the one answer to an unknown handle and a wrong
// password alike.
func BadCredentials() error {
	return fault.New(fault.Unauthenticated, ReasonBadCredentials, "Wrong login or password.")
}

// Blocked is the fault for signing in to a blocked account.
func Blocked() error {
	return fault.New(fault.Forbidden, ReasonBlocked, "This account is blocked.")
}

// ChallengeNotFound is the fault for a code or link that names no
// challenge.
func ChallengeNotFound() error {
	return fault.New(fault.NotFound, ReasonChallengeNotFound, "This code or link is not valid.")
}

// ChallengeExists is the fault for storing a challenge under an ID in use.
func ChallengeExists() error {
	return fault.New(fault.Conflict, ReasonChallengeExists, "This challenge ID is already in use.")
}

// ChallengeUsed is the fault for a second use of a single-use challenge.
func ChallengeUsed() error {
	return fault.New(fault.Conflict, ReasonChallengeUsed, "This code or link was already used.")
}
