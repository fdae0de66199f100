package mongostore

import (
	"slices"
	"strconv"
	"time"

	"gatehouse/core/identity"
)

// userDoc is a user as stored in colUsers.
type userDoc struct {
	ID              string       `bson:"_id"`
	Number          int64        `bson:"number"`
	Version         int64        `bson:"version"` // absent (0) on users stored before versions
	Login           string       `bson:"login"`
	Email           string       `bson:"email"`
	EmailVerified   bool         `bson:"email_verified"`
	Phone           string       `bson:"phone"`
	PhoneVerified   bool         `bson:"phone_verified"`
	PasswordHash    string       `bson:"password_hash"`
	FirstName       string       `bson:"first_name"`
	LastName        string       `bson:"last_name"`
	Patronymic      string       `bson:"patronymic"`
	Birthday        string       `bson:"birthday"`
	Description     string       `bson:"description"`
	BackgroundColor string       `bson:"background_color"`
	Avatar          string       `bson:"avatar"`
	Locale          string       `bson:"locale"`
	Source          string       `bson:"source"`
	Addresses       []addressDoc `bson:"addresses"`
	Roles           []string     `bson:"roles"`
	Groups          []string     `bson:"groups"`
	TelegramID      int64        `bson:"telegram_id"`
	Status          string       `bson:"status"`
	CreatedAt       *time.Time   `bson:"created_at"`
	CreatedUS       int64        `bson:"created_us,omitempty"` // created_at to the microsecond: BSON dates keep milliseconds
	UpdatedAt       *time.Time   `bson:"updated_at"`
}

// addressDoc is one identity.Address inside a userDoc.
type addressDoc struct {
	ID      string `bson:"id"`
	Name    string `bson:"name"`
	Address string `bson:"address"`
}

func toUserDoc(u identity.User) userDoc {
	var addrs []addressDoc
	for _, a := range u.Addresses {
		addrs = append(addrs, addressDoc(a))
	}
	return userDoc{
		ID:              u.ID,
		Number:          u.Number,
		Version:         u.Version,
		Login:           u.Login,
		Email:           u.Email,
		EmailVerified:   u.EmailVerified,
		Phone:           u.Phone,
		PhoneVerified:   u.PhoneVerified,
		PasswordHash:    u.PasswordHash,
		FirstName:       u.FirstName,
		LastName:        u.LastName,
		Patronymic:      u.Patronymic,
		Birthday:        u.Birthday,
		Description:     u.Description,
		BackgroundColor: u.BackgroundColor,
		Avatar:          u.Avatar,
		Locale:          string(u.Locale),
		Source:          u.Source,
		Addresses:       addrs,
		Roles:           slices.Clone(u.Roles),
		Groups:          slices.Clone(u.Groups),
		TelegramID:      u.TelegramID,
		Status:          string(u.Status),
		CreatedAt:       toDBTime(u.CreatedAt),
		CreatedUS:       unixMicro(u.CreatedAt),
		UpdatedAt:       toDBTime(u.UpdatedAt),
	}
}

// user returns the domain user; its slices are its own.
func (d userDoc) user() identity.User {
	var addrs []identity.Address
	for _, a := range d.Addresses {
		addrs = append(addrs, identity.Address(a))
	}
	return identity.User{
		ID:              d.ID,
		Number:          d.Number,
		Version:         d.Version,
		Login:           d.Login,
		Email:           d.Email,
		EmailVerified:   d.EmailVerified,
		Phone:           d.Phone,
		PhoneVerified:   d.PhoneVerified,
		PasswordHash:    d.PasswordHash,
		FirstName:       d.FirstName,
		LastName:        d.LastName,
		Patronymic:      d.Patronymic,
		Birthday:        d.Birthday,
		Description:     d.Description,
		BackgroundColor: d.BackgroundColor,
		Avatar:          d.Avatar,
		Locale:          identity.Locale(d.Locale),
		Source:          d.Source,
		Addresses:       addrs,
		Roles:           slices.Clone(d.Roles),
		Groups:          slices.Clone(d.Groups),
		TelegramID:      d.TelegramID,
		Status:          identity.Status(d.Status),
		CreatedAt:       fromMicro(d.CreatedUS, d.CreatedAt),
		UpdatedAt:       fromDBTime(d.UpdatedAt),
	}
}

// handleKinds are the user fields that are unique handles; a Telegram
// user id is claimed in its decimal form.
var handleKinds = [...]string{"login", "email", "phone", "telegram"}

// handle is one non-empty handle of a user, keyed as in colUserHandles.
type handle struct {
	kind  string // login, email, phone or telegram
	value string
}

func (h handle) key() string { return h.kind + ":" + h.value }

// handlesOf returns u's non-empty handles: an empty one is not a handle.
func handlesOf(u identity.User) []handle {
	var hs []handle
	for _, kind := range handleKinds {
		if v := handleValue(u, kind); v != "" {
			hs = append(hs, handle{kind: kind, value: v})
		}
	}
	return hs
}

// handleValue returns u's handle of one kind.
func handleValue(u identity.User, kind string) string {
	switch kind {
	case "login":
		return u.Login
	case "email":
		return u.Email
	case "phone":
		return u.Phone
	case "telegram":
		if u.TelegramID != 0 {
			return strconv.FormatInt(u.TelegramID, 10)
		}
	}
	return ""
}
