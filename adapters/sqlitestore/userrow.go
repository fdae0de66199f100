package sqlitestore

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"gatehouse/core/identity"
)

// userCols are the columns every user read selects, in scanUser's order.
const userCols = `id, number, version, login, email, phone, created_at, updated_at, profile, telegram_id`

// profile is the JSON of a user's fields that no query looks at.
type profile struct {
	EmailVerified   bool               `json:"email_verified,omitempty"`
	PhoneVerified   bool               `json:"phone_verified,omitempty"`
	PasswordHash    string             `json:"password_hash,omitempty"`
	FirstName       string             `json:"first_name,omitempty"`
	LastName        string             `json:"last_name,omitempty"`
	Patronymic      string             `json:"patronymic,omitempty"`
	Birthday        string             `json:"birthday,omitempty"`
	Description     string             `json:"description,omitempty"`
	BackgroundColor string             `json:"background_color,omitempty"`
	Avatar          string             `json:"avatar,omitempty"`
	Locale          string             `json:"locale,omitempty"`
	Source          string             `json:"source,omitempty"`
	Addresses       []identity.Address `json:"addresses,omitempty"`
	Roles           []string           `json:"roles,omitempty"`
	Groups          []string           `json:"groups,omitempty"`
	Status          string             `json:"status,omitempty"`
}

// profileJSON encodes u's profile fields.
func profileJSON(u identity.User) (string, error) {
	b, err := json.Marshal(profile{
		EmailVerified: u.EmailVerified, PhoneVerified: u.PhoneVerified, PasswordHash: u.PasswordHash,
		FirstName: u.FirstName, LastName: u.LastName, Patronymic: u.Patronymic, Birthday: u.Birthday,
		Description: u.Description, BackgroundColor: u.BackgroundColor, Avatar: u.Avatar,
		Locale: string(u.Locale), Source: u.Source, Addresses: u.Addresses, Roles: u.Roles, Groups: u.Groups,
		Status: string(u.Status),
	})
	if err != nil {
		return "", fmt.Errorf("sqlitestore: encode profile of %s: %w", u.ID, err)
	}
	return string(b), nil
}

// scanUser reads one row of userCols; the user's slices are its own.
func scanUser(row interface{ Scan(...any) error }) (identity.User, error) {
	var (
		u                identity.User
		created, updated sql.NullInt64
		raw              string
		p                profile
		tg               sql.NullInt64
	)
	if err := row.Scan(&u.ID, &u.Number, &u.Version, &u.Login, &u.Email, &u.Phone, &created, &updated, &raw, &tg); err != nil {
		return identity.User{}, err
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return identity.User{}, fmt.Errorf("sqlitestore: decode profile of %s: %w", u.ID, err)
	}
	u.CreatedAt, u.UpdatedAt = fromUS(created), fromMS(updated)
	u.EmailVerified, u.PhoneVerified, u.PasswordHash = p.EmailVerified, p.PhoneVerified, p.PasswordHash
	u.FirstName, u.LastName, u.Patronymic, u.Birthday = p.FirstName, p.LastName, p.Patronymic, p.Birthday
	u.Description, u.BackgroundColor, u.Avatar = p.Description, p.BackgroundColor, p.Avatar
	u.Locale, u.Source, u.Addresses, u.Roles, u.Groups = identity.Locale(p.Locale), p.Source, p.Addresses, p.Roles, p.Groups
	u.TelegramID, u.Status = tg.Int64, identity.Status(p.Status)
	return u, nil
}

// takenError maps a unique violation on users to the port's Conflict;
// ok is false for any other error.
func takenError(col string) (error, bool) {
	switch col {
	case "users.id":
		return errIDTaken(), true
	case "users.login", "users.email", "users.phone":
		kind := col[len("users."):]
		return identity.HandleTaken(kind), true
	case "users.telegram_id":
		return identity.TelegramTaken(), true
	}
	return nil, false
}

// telegramCol is a Telegram user id as stored: NULL when none is linked,
// so the partial unique index leaves unlinked users out.
func telegramCol(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
