package vpnapi

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// agentTokenPrefix marks agent tokens, so one pasted in the wrong place is
// recognisable.
const agentTokenPrefix = "gva_"

// AgentToken is the token the agent on WireGuard server serverID presents
// (Authorization: Bearer <token>): an HMAC of the server's id under the
// deployment's agent secret. Each server's token opens that server's peer
// list only, so a compromised host learns nothing of the others; changing
// the secret revokes every token at once.
func AgentToken(secret string, serverID int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "gatehouse vpn agent %d", serverID)
	return agentTokenPrefix + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// agentServer checks the agent token of the request against the server in
// the path and returns that server's id. Every refusal is the contract's
// 401.
func (a *API) agentServer(r *http.Request) (int64, error) {
	refused := fault.New(fault.Unauthenticated, "vpnapi.agent_token_invalid", msgUnauthenticated)
	id, err := strconv.ParseInt(httpapi.Vars(r)["server_id"], 10, 64)
	token, ok := httpapi.BearerToken(r)
	if err != nil || !ok || a.opts.AgentSecret == "" {
		return 0, refused
	}
	want := AgentToken(a.opts.AgentSecret, id)
	if subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return 0, refused
	}
	return id, nil
}

// peerResource is one peer the WireGuard server must have.
type peerResource struct {
	PublicKey    string   `json:"public_key"`
	PresharedKey string   `json:"preshared_key"`
	AllowedIPs   []string `json:"allowed_ips"`
}

// peersResource is a server's peer list.
type peersResource struct {
	ServerID int64          `json:"server_id"`
	Peers    []peerResource `json:"peers"`
}

// peers answers the peers server_id must have now: JSON by default, or
// with ?format=wg the [Peer] sections `wg syncconf` applies.
func (a *API) peers(w http.ResponseWriter, r *http.Request) {
	id, err := a.agentServer(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	list, err := a.vpn.Peers(r.Context(), id)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store, private")
	if r.URL.Query().Get("format") == "wg" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, peerSections(list))
		return
	}
	res := peersResource{ServerID: id, Peers: make([]peerResource, 0, len(list))}
	for _, p := range list {
		res.Peers = append(res.Peers, peerResource{PublicKey: p.PublicKey, PresharedKey: p.PresharedKey, AllowedIPs: p.AllowedIPs})
	}
	writeData(w, http.StatusOK, res)
}

// peerSections writes peers in wg(8)'s configuration format.
func peerSections(peers []vpn.Peer) string {
	var b strings.Builder
	for i, p := range peers {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[Peer]\nPublicKey = %s\n", p.PublicKey)
		if p.PresharedKey != "" {
			fmt.Fprintf(&b, "PresharedKey = %s\n", p.PresharedKey)
		}
		fmt.Fprintf(&b, "AllowedIPs = %s\n", strings.Join(p.AllowedIPs, ", "))
	}
	return b.String()
}

// reportPeers takes what the agent saw of its peers: the output of
// `wg show <interface> dump` as the body (text/plain), from which the
// server's active connections and each key's traffic are counted.
func (a *API) reportPeers(w http.ResponseWriter, r *http.Request) {
	id, err := a.agentServer(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	stats, err := parseDump(r.Body)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := a.vpn.ReportPeers(r.Context(), id, stats); err != nil {
		errs.Write(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// parseDump reads `wg show <if> dump` (or `wg show all dump`, whose lines
// start with the interface name): a line for the interface, then one per
// peer with public key, preshared key, endpoint, allowed IPs, latest
// handshake (Unix seconds, 0: never), bytes received and sent, keepalive.
func parseDump(body io.Reader) ([]vpn.PeerStat, error) {
	var out []vpn.PeerStat
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		switch len(f) {
		case 1, 4, 5: // blank, or the interface's line
			continue
		case 9:
			f = f[1:]
		case 8:
		default:
			return nil, dumpFault(n)
		}
		hs, err1 := strconv.ParseInt(f[4], 10, 64)
		rx, err2 := strconv.ParseInt(f[5], 10, 64)
		tx, err3 := strconv.ParseInt(f[6], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil || !vpn.ValidKey(f[0]) {
			return nil, dumpFault(n)
		}
		s := vpn.PeerStat{PublicKey: f[0], ReceiveBytes: rx, TransmitBytes: tx}
		if hs > 0 {
			s.LastHandshake = time.Unix(hs, 0).UTC()
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fault.Wrap(err, fault.Invalid, "vpnapi.dump_unreadable", "The body could not be read as `wg show <interface> dump` output.")
	}
	return out, nil
}

func dumpFault(line int) error {
	return fault.New(fault.Invalid, "vpnapi.dump_malformed",
		fmt.Sprintf("Line %d is not a line of `wg show <interface> dump`.", line))
}
