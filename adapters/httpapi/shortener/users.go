package shortener

import (
	"log/slog"
	"net/http"
	"strconv"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/identity"
)

// userObject is the contract's user object. telegram_id is a string (the
// document's "sstring"), "" while no Telegram account is linked.
type userObject struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	Email      string `json:"email"`
	TelegramID string `json:"telegram_id"`
}

// newUserObject shapes a user for the contract.
func newUserObject(u identity.User) userObject {
	o := userObject{ID: u.ID, Username: u.Login, Email: u.Email}
	if u.TelegramID != 0 {
		o.TelegramID = strconv.FormatInt(u.TelegramID, 10)
	}
	return o
}

// me returns the signed-in user; 404 when the account is gone.
func (a *API) me(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	u, err := a.accounts.Profile(r.Context(), claims.Subject)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newUserObject(u))
}

// deleteMe deletes the signed-in user and everything it owns (links and
// sessions, through the deletion hooks), then ends the caller's session so
// its access token stops working at once on every replica, and clears the
// refresh cookie.
// An account already gone is the contract's 400 "User not found in database".
func (a *API) deleteMe(w http.ResponseWriter, r *http.Request) {
	claims, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	if err := a.profiles.DeleteAccount(r.Context(), claims.Subject); err != nil {
		errs.Write(w, r, accountGone(err))
		return
	}
	// The account is gone whatever happens next, so a failure to deny-list
	// the token is logged, not answered: a retry would only hear 400.
	if err := a.sessions.EndSession(r.Context(), claims.SessionID); err != nil {
		httpapi.Logger(r.Context()).LogAttrs(r.Context(), slog.LevelWarn, "shortener: end session of deleted account", slog.Any("err", err))
	}
	a.clearRefreshCookie(w)
	w.WriteHeader(http.StatusOK)
}
