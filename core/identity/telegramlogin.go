package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Telegram login data are trusted only with a valid signature and only for
// a while after Telegram signed them.
const (
	// DefaultTelegramLoginMaxAge is how old signed login data may be.
	DefaultTelegramLoginMaxAge = 5 * time.Minute
	// telegramClockSkew is how far in the future auth_date may lie, for
	// clocks that disagree a little.
	telegramClockSkew = time.Minute
	// maxTelegramFields bounds the fields of login data; Telegram sends a
	// handful.
	maxTelegramFields = 32
)

// VerifyTelegramWidget checks the data of the Telegram Login Widget (the
// fields id, first_name, last_name, username, photo_url, auth_date and
// hash, as the redirect or the data-onauth callback gives them): the hex
// HMAC-SHA256 of the data-check string (every field but hash, sorted by
// key, "key=value" joined by "\n") under SHA-256 of the bot token must be
// hash, and auth_date no older than maxAge at now. It returns the profile
// the data describe; TelegramAuthInvalid or TelegramAuthExpired otherwise.
func VerifyTelegramWidget(fields map[string]string, botToken string, now time.Time, maxAge time.Duration) (TelegramProfile, error) {
	secret := sha256.Sum256([]byte(botToken))
	if err := checkTelegramHash(fields, secret[:]); err != nil {
		return TelegramProfile{}, err
	}
	id, err := strconv.ParseInt(fields["id"], 10, 64)
	if err != nil || id <= 0 {
		return TelegramProfile{}, TelegramAuthInvalid()
	}
	auth, err := telegramAuthDate(fields["auth_date"], now, maxAge)
	if err != nil {
		return TelegramProfile{}, err
	}
	return TelegramProfile{
		ID: id, FirstName: fields["first_name"], LastName: fields["last_name"],
		Username: fields["username"], PhotoURL: fields["photo_url"], AuthDate: auth,
	}, nil
}

// webAppUser is the user field of Mini App init data, a JSON object.
type webAppUser struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Username     string `json:"username"`
	LanguageCode string `json:"language_code"`
	PhotoURL     string `json:"photo_url"`
}

// VerifyTelegramWebApp checks a Mini App's initData (the URL-encoded query
// string Telegram.WebApp.initData): the hex HMAC-SHA256 of its data-check
// string (every field but hash, URL-decoded, sorted, "key=value" joined by
// "\n") under HMAC-SHA256("WebAppData", bot token) must be hash, and
// auth_date no older than maxAge. The signature field of newer clients is a
// field like any other here, as Telegram's description of the check says
// ("all received fields"); it serves third parties, who check it with
// Telegram's public key instead. It returns the profile of the user field.
func VerifyTelegramWebApp(initData, botToken string, now time.Time, maxAge time.Duration) (TelegramProfile, error) {
	values, err := url.ParseQuery(initData)
	if err != nil || len(values) > maxTelegramFields {
		return TelegramProfile{}, TelegramAuthInvalid()
	}
	fields := make(map[string]string, len(values))
	for k, vs := range values {
		if len(vs) != 1 {
			return TelegramProfile{}, TelegramAuthInvalid()
		}
		fields[k] = vs[0]
	}
	m := hmac.New(sha256.New, []byte("WebAppData"))
	m.Write([]byte(botToken))
	if err := checkTelegramHash(fields, m.Sum(nil)); err != nil {
		return TelegramProfile{}, err
	}
	var u webAppUser
	if err := json.Unmarshal([]byte(fields["user"]), &u); err != nil || u.ID <= 0 {
		return TelegramProfile{}, TelegramAuthInvalid()
	}
	auth, err := telegramAuthDate(fields["auth_date"], now, maxAge)
	if err != nil {
		return TelegramProfile{}, err
	}
	return TelegramProfile{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username,
		LanguageCode: u.LanguageCode, PhotoURL: u.PhotoURL, AuthDate: auth,
	}, nil
}

// checkTelegramHash compares, in constant time, the hash field with the
// HMAC-SHA256 under key of the data-check string of the other fields.
func checkTelegramHash(fields map[string]string, key []byte) error {
	want, err := hex.DecodeString(fields["hash"])
	if err != nil || len(want) != sha256.Size || len(fields) > maxTelegramFields {
		return TelegramAuthInvalid()
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(TelegramDataCheckString(fields)))
	if !hmac.Equal(m.Sum(nil), want) {
		return TelegramAuthInvalid()
	}
	return nil
}

// TelegramDataCheckString is the string Telegram signs: every field but
// hash, sorted by key, written "key=value" and joined by "\n".
func TelegramDataCheckString(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != "hash" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(fields[k])
	}
	return b.String()
}

// telegramAuthDate reads auth_date (Unix seconds) and refuses it when older
// than maxAge at now (DefaultTelegramLoginMaxAge when zero) or in the
// future beyond a little clock skew.
func telegramAuthDate(raw string, now time.Time, maxAge time.Duration) (time.Time, error) {
	sec, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}, TelegramAuthInvalid()
	}
	if maxAge <= 0 {
		maxAge = DefaultTelegramLoginMaxAge
	}
	at := time.Unix(sec, 0)
	switch {
	case at.After(now.Add(telegramClockSkew)):
		return time.Time{}, TelegramAuthInvalid()
	case now.Sub(at) > maxAge:
		return time.Time{}, TelegramAuthExpired()
	}
	return at, nil
}
