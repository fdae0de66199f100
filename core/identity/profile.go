package identity

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"gatehouse/core/fault"
)

// Bounds of the profile fields, in characters (runes) unless noted.
const (
	MaxNameLength        = 256
	MaxDescriptionLength = 1000
	MaxAvatarLength      = 2048 // bytes of the URL
)

// ProfileChange is a change of the profile fields; nil leaves a field as
// it is. Values are applied trimmed of surrounding space.
type ProfileChange struct {
	FirstName       *string
	LastName        *string
	Patronymic      *string
	Birthday        *string // YYYY-MM-DD or ""
	Description     *string
	BackgroundColor *string // #RRGGBB or ""
	Avatar          *string // absolute http(s) URL or ""
	Locale          *Locale
}

// ApplyProfile returns u with ch applied, checked against gatehouse's
// general rules; today is the current date in the user's reckoning (a
// birthday may not lie after it). Every field at fault is reported in one
// fault.Invalid, via JoinInvalid. Contracts with stricter rules (contract
// 004's Cyrillic names) check them in their frontend.
func ApplyProfile(u User, ch ProfileChange, today time.Time) (User, error) {
	var errs []error
	set := func(dst *string, src *string, check func(string) error) {
		if src == nil {
			return
		}
		v := strings.TrimSpace(*src)
		if err := check(v); err != nil {
			errs = append(errs, err)
			return
		}
		*dst = v
	}
	set(&u.FirstName, ch.FirstName, nameRule("first_name"))
	set(&u.LastName, ch.LastName, nameRule("last_name"))
	set(&u.Patronymic, ch.Patronymic, nameRule("patronymic"))
	set(&u.Birthday, ch.Birthday, func(v string) error { return ValidateBirthday(v, today) })
	set(&u.Description, ch.Description, validateDescription)
	set(&u.BackgroundColor, ch.BackgroundColor, ValidateColor)
	set(&u.Avatar, ch.Avatar, validateAvatar)
	if ch.Locale != nil {
		l := Locale(strings.ToLower(strings.TrimSpace(string(*ch.Locale))))
		if err := ValidateLocale(l); err != nil {
			errs = append(errs, err)
		} else {
			u.Locale = l
		}
	}
	if err := JoinInvalid(errs, "invalid.profile"); err != nil {
		return User{}, err
	}
	return u, nil
}

// ValidateName checks a person's name for field: at most MaxNameLength
// characters, no control or format characters (see hiddenRune); empty is
// allowed.
func ValidateName(field, name string) error {
	return nameRule(field)(name)
}

func nameRule(field string) func(string) error {
	label := strings.ReplaceAll(field, "_", " ")
	return func(v string) error {
		if utf8.RuneCountInString(v) > MaxNameLength {
			return fault.Invalidf(field, "max_length", "%s must be at most %d characters", label, MaxNameLength)
		}
		return checkText(field, label, v, "")
	}
}

func validateDescription(v string) error {
	if utf8.RuneCountInString(v) > MaxDescriptionLength {
		return fault.Invalidf("description", "max_length", "description must be at most %d characters", MaxDescriptionLength)
	}
	// Line breaks and tabs lay out a description; no other hidden rune does.
	return checkText("description", "description", v, "\t\n\r")
}

// ValidateBirthday checks a birthday: "" or a real calendar date written
// YYYY-MM-DD, not after today's date.
func ValidateBirthday(v string, today time.Time) error {
	if v == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || len(v) != len(time.DateOnly) {
		return fault.Invalidf("birthday", "format", "birthday must be a real date written YYYY-MM-DD")
	}
	y, m, day := today.Date()
	if d.After(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)) {
		return fault.Invalidf("birthday", "past", "birthday must not be in the future")
	}
	return nil
}

// ValidateColor checks a background colour: "" or #RRGGBB in hex digits
// of either case.
func ValidateColor(v string) error {
	if v == "" {
		return nil
	}
	ok := len(v) == 7 && v[0] == '#'
	for i := 1; ok && i < len(v); i++ {
		ok = strings.IndexByte("0123456789abcdefABCDEF", v[i]) >= 0
	}
	if !ok {
		return fault.Invalidf("background_color", "format", "background colour must be written #RRGGBB")
	}
	return nil
}

// ValidateLocale checks a locale: en or ru.
func ValidateLocale(l Locale) error {
	if l != LocaleEN && l != LocaleRU {
		return fault.Invalidf("locale", "oneof", "locale must be en or ru")
	}
	return nil
}

func validateAvatar(v string) error {
	if v == "" {
		return nil
	}
	if len(v) > MaxAvatarLength {
		return fault.Invalidf("avatar", "max_length", "avatar must be at most %d bytes", MaxAvatarLength)
	}
	if err := checkText("avatar", "avatar", v, ""); err != nil {
		return err
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return fault.Invalidf("avatar", "format", "avatar must be an http or https URL")
	}
	return nil
}

// JoinInvalid merges the field errors in errs (nils skipped) into one
// fault.Invalid: the error itself when there is one, else one with reason
// listing every field and the messages joined. An error that is not a
// fault.Error is returned as it is.
func JoinInvalid(errs []error, reason string) error {
	var all []*fault.Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		fe, ok := fault.As(err)
		if !ok {
			return err
		}
		all = append(all, fe)
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	merged := &fault.Error{Code: fault.Invalid, Reason: reason}
	msgs := make([]string, 0, len(all))
	for _, fe := range all {
		merged.Fields = append(merged.Fields, fe.Fields...)
		msgs = append(msgs, fe.Message)
	}
	merged.Message = strings.Join(msgs, "; ")
	return merged
}
