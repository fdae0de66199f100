package felmee

import (
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/ports"
)

// envelope is the document's one answer shape.
type envelope struct {
	Success   bool    `json:"success"`
	Message   string  `json:"message"`
	CodeError *string `json:"codeError"`
	Data      any     `json:"data"`
}

// tokens is the data of a sign-in or refresh.
type tokens struct {
	JWT string `json:"JWT"`
	RT  string `json:"RT"`
}

// The document's success messages, word for word.
const (
	msgCodeSent  = "OTP code sent successfully"
	msgSignedIn  = "The authorization process has been completed successfully!"
	msgLinkSent  = "If an account with this email exists, we will send a login link to this address."
	msgBindSent  = "If the address is available for binding, we will send a code to it."
	msgBound     = "Email successfully added!"
	msgRefreshed = "Token refreshed successfully"
)

// ok answers 200 with a success envelope.
func ok(w http.ResponseWriter, message string, data any) {
	httpapi.WriteJSON(w, http.StatusOK, envelope{Success: true, Message: message, Data: data})
}

// signedIn answers a new token pair: in the envelope and as cookies.
// Tokens are never cached (RFC 6749 5.1).
func (a *API) signedIn(w http.ResponseWriter, message string, pair ports.TokenPair) {
	a.setTokenCookies(w, pair)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	ok(w, message, tokens{JWT: pair.AccessToken, RT: pair.RefreshToken})
}
