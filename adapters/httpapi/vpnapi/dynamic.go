package vpnapi

import (
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// shadowsocksConfig is the JSON an Outline client fetches from a dynamic
// access key (ssconf://): where to connect and with what secret.
type shadowsocksConfig struct {
	Server     string `json:"server"`
	ServerPort int    `json:"server_port"`
	Password   string `json:"password"`
	Method     string `json:"method"`
}

// outlineError is how a dynamic access key reports a refusal: the Outline
// client reads {"error": {"message"}} whatever the status and shows the
// message, so the person sees why the key stopped.
type outlineError struct {
	Error outlineErrorDetail `json:"error"`
}

type outlineErrorDetail struct {
	Message string `json:"message"`
}

// dynamicErrs answers the dynamic key's refusals in Outline's shape.
var dynamicErrs = httpapi.ErrorShape{Status: statusOf, Body: func(err error) any {
	msg := fault.MessageOf(err)
	if fault.CodeOf(err) == fault.Internal {
		msg = msgServerError
	}
	return outlineError{Error: outlineErrorDetail{Message: msg}}
}}

// dynamicKey answers an Outline dynamic access key: the key's server,
// port, password and cipher while the subscription is active; once it has
// ended, or the key is revoked, an error the client shows, so it stops on
// its next connect.
func (a *API) dynamicKey(w http.ResponseWriter, r *http.Request) {
	k, err := a.vpn.DynamicKey(r.Context(), httpapi.Vars(r)["token"])
	if err != nil {
		dynamicErrs.Write(w, r, err)
		return
	}
	cfg, ok := parseSIP002(k.Material.AccessURL)
	if !ok {
		dynamicErrs.Write(w, r, vpn.KeyNotFound())
		return
	}
	w.Header().Set("Cache-Control", "no-store, private")
	httpapi.WriteJSON(w, http.StatusOK, cfg)
}

// parseSIP002 reads an ss:// URL as Outline forms it (SIP002:
// ss://base64url(method:password)@host:port/?outline=1), accepting
// standard and padded base64 too, and a plain method:password userinfo.
func parseSIP002(raw string) (shadowsocksConfig, bool) {
	rest, ok := strings.CutPrefix(raw, "ss://")
	if !ok {
		return shadowsocksConfig{}, false
	}
	rest, _, _ = strings.Cut(rest, "#")
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return shadowsocksConfig{}, false
	}
	userinfo, hostport := rest[:at], rest[at+1:]
	hostport, _, _ = strings.Cut(hostport, "/")
	hostport, _, _ = strings.Cut(hostport, "?")
	host, portText, err := net.SplitHostPort(hostport)
	if err != nil {
		return shadowsocksConfig{}, false
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return shadowsocksConfig{}, false
	}
	cred := decodeUserinfo(userinfo)
	method, password, ok := strings.Cut(cred, ":")
	if !ok || method == "" {
		return shadowsocksConfig{}, false
	}
	return shadowsocksConfig{Server: host, ServerPort: port, Password: password, Method: method}, true
}

// decodeUserinfo undoes the base64 of a SIP002 userinfo in whichever
// alphabet and padding it came, or percent-decoding for a plain one.
func decodeUserinfo(s string) string {
	if unescaped, err := url.PathUnescape(s); err == nil {
		s = unescaped
	}
	trimmed := strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(trimmed); err == nil && strings.Contains(string(b), ":") {
			return string(b)
		}
	}
	return s
}
