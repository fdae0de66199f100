// Package identity is the pure model of who a person is: accounts, their
// handles (login, email, phone), credentials and profile.
//
// It does no I/O and reads no clock: times and random values come in as
// arguments, so every rule here is checked by plain table tests.
package identity

import (
	"time"
)

// Locale is the language a user is written to in.
type Locale string

// The supported locales.
const (
	LocaleEN Locale = "en"
	LocaleRU Locale = "ru"
)

// Status says whether an account may sign in.
type Status string

// The account statuses.
const (
	StatusActive  Status = "active"
	StatusBlocked Status = "blocked"
)

// Address is a named blockchain address owned by a user (contract 003).
type Address struct {
	ID      string
	Name    string
	Address string
}

// User is one account. Handles (Login, Email, Phone) are stored normalised
// (see NormalizeLogin, NormalizeEmail) and are unique across all users.
type User struct {
	ID     string // opaque, stable
	Number int64  // sequential, for contracts that show integer ids; assigned by the store

	// Version is bumped by every successful store update; an Update must
	// carry the version it read, so a change made meanwhile is not lost.
	Version int64

	Login         string
	Email         string
	EmailVerified bool
	Phone         string // E.164
	PhoneVerified bool

	PasswordHash string // PHC string (argon2id) or bcrypt $2a$/$2y$

	FirstName       string
	LastName        string
	Patronymic      string
	Birthday        string // YYYY-MM-DD or ""
	Description     string
	BackgroundColor string // #RRGGBB or ""
	Avatar          string // URL or ""

	Locale    Locale
	Source    string
	Addresses []Address
	Roles     []string
	Groups    []string

	TelegramID int64
	Status     Status

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Active reports whether the user may sign in.
func (u User) Active() bool { return u.Status != StatusBlocked }

// DisplayName is the name shown where a contract has one name field.
func (u User) DisplayName() string {
	switch {
	case u.FirstName != "" && u.LastName != "":
		return u.FirstName + " " + u.LastName
	case u.FirstName != "":
		return u.FirstName
	case u.Login != "":
		return u.Login
	default:
		return u.Email
	}
}
