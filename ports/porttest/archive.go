package porttest

import (
	"fmt"
	"slices"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// RunArchive checks the ports.Archive contract. newArchive must return an
// empty database of its own on every call.
func RunArchive(t *testing.T, newArchive func(tb testing.TB) ports.Archive) {
	tests := []struct {
		name string
		run  func(t *testing.T, a ports.Archive)
	}{
		{"Put then Scan round-trips every collection", archiveRoundTrip},
		{"Scan pages in key order", archivePages},
		{"Put again replaces and adds nothing", archiveIdempotent},
		{"Put keeps handles unique", archiveHandles},
		{"Put keeps VPN devices, live keys and links unique", archiveVPNUnique},
		{"Sequences only rise and follow their records", archiveSequences},
		{"Unknown collections are Invalid", archiveUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newArchive(t))
		})
	}
}

// sampleRecords returns one full record of each collection, distinct per i.
func sampleRecords(i int) map[ports.Collection]ports.Record {
	u := fullUser(i)
	u.Number, u.Version = int64(i), 3
	f := opaqueFamily(fmt.Sprint("f", i), u.ID, i, i+1)
	f.RevokedAt, f.Reason = at(i+2), "logout"
	r := refresh(fmt.Sprint("h", i), f.ID, u.ID, i)
	k := signingKey(fmt.Sprint("k", i), int64(i))
	k.RetiredAt, k.NotAfter = at(i+5), at(i+9)
	c := challenge(fmt.Sprint("c", i), u.ID, identity.PurposeEmailConfirm, i)
	l := link(fmt.Sprint("l", i), fmt.Sprint("alias", i), u.ID, i)
	vpnRecords := sampleVPNRecords(i, u.ID)
	return map[ports.Collection]ports.Record{
		ports.CollUsers:         {Key: u.ID, User: u},
		ports.CollUserNumbers:   {Key: fmt.Sprint(i), Number: ports.UserNumber{Number: int64(i), UserID: u.ID}},
		ports.CollFamilies:      {Key: f.ID, Family: f},
		ports.CollRefreshTokens: {Key: r.Hash, Refresh: r},
		ports.CollRefreshUses:   {Key: r.Hash, Use: ports.Use{UserID: u.ID, At: at(i + 3)}},
		ports.CollDevices:       {Key: fmt.Sprint("d", i), Device: device(fmt.Sprint("d", i), u.ID, i)},
		ports.CollSigningKeys:   {Key: k.ID, SigningKey: k},
		ports.CollChallenges:    {Key: c.ID, Challenge: c},
		ports.CollChallengeUses: {Key: c.ID, Use: ports.Use{ExpiresAt: c.ExpiresAt}},
		ports.CollLinks:         {Key: l.ID, Link: l},

		ports.CollVPNServers:       vpnRecords[ports.CollVPNServers],
		ports.CollVPNSubscriptions: vpnRecords[ports.CollVPNSubscriptions],
		ports.CollVPNDevices:       vpnRecords[ports.CollVPNDevices],
		ports.CollVPNKeys:          vpnRecords[ports.CollVPNKeys],
		ports.CollVPNAddresses:     vpnRecords[ports.CollVPNAddresses],
		ports.CollVPNPeerStats:     vpnRecords[ports.CollVPNPeerStats],
		ports.CollVPNLinks:         vpnRecords[ports.CollVPNLinks],
		ports.CollSequences:        vpnRecords[ports.CollSequences],
	}
}

// normRecord normalises every time and empty slice a store may vary on.
func normRecord(r ports.Record) ports.Record {
	r.User = normUser(r.User)
	r.Family, r.Refresh, r.Device = normFamily(r.Family), normRefresh(r.Refresh), normDevice(r.Device)
	r.SigningKey, r.Challenge, r.Link = normKey(r.SigningKey), normChallenge(r.Challenge), normLink(r.Link)
	r.Use.At, r.Use.ExpiresAt = ms(r.Use.At), ms(r.Use.ExpiresAt)
	return normVPNRecord(r)
}

func put(tb testing.TB, a ports.Archive, c ports.Collection, rs ...ports.Record) {
	tb.Helper()
	must(tb, a.Put(tb.Context(), c, rs), fmt.Sprintf("Put %s", c))
}

func wantCount(tb testing.TB, a ports.Archive, c ports.Collection, want int64) {
	tb.Helper()
	n, err := a.Count(tb.Context(), c)
	must(tb, err, "Count "+string(c))
	if n != want {
		tb.Fatalf("Count %s = %d, want %d", c, n, want)
	}
}

func archiveRoundTrip(t *testing.T, a ports.Archive) {
	for _, c := range ports.Collections() {
		wantCount(t, a, c, 0)
	}
	want := sampleRecords(1)
	for _, c := range ports.Collections() {
		put(t, a, c, want[c])
	}
	for _, c := range ports.Collections() {
		wantRecords := []ports.Record{want[c]}
		if c == ports.CollSequences {
			// The server put raised its sequence.
			wantRecords = append(wantRecords, sequence(ports.CollVPNServers, 1))
		}
		wantCount(t, a, c, int64(len(wantRecords)))
		got, err := a.Scan(t.Context(), c, "", 10)
		must(t, err, "Scan "+string(c))
		wantEqual(t, got, wantRecords, normRecords, "Scan "+string(c))
	}
}

func normRecords(rs []ports.Record) []ports.Record {
	out := make([]ports.Record, 0, len(rs))
	for _, r := range rs {
		out = append(out, normRecord(r))
	}
	return out
}

func archivePages(t *testing.T, a ports.Archive) {
	for _, c := range []ports.Collection{ports.CollLinks, ports.CollUserNumbers, ports.CollVPNDevices, ports.CollVPNAddresses} {
		var keys []string
		for _, i := range []int{3, 12, 1, 2, 11} {
			r := sampleRecords(i)[c]
			put(t, a, c, r)
			keys = append(keys, r.Key)
		}
		var got []string
		after := ""
		for {
			page, err := a.Scan(t.Context(), c, after, 2)
			must(t, err, "Scan")
			if len(page) > 2 {
				t.Fatalf("Scan %s with limit 2: %d records", c, len(page))
			}
			if len(page) == 0 {
				break
			}
			for _, r := range page {
				got = append(got, r.Key)
			}
			after = page[len(page)-1].Key
		}
		sameSet(t, got, keys, "keys of every page of "+string(c))
		numeric := c == ports.CollUserNumbers || c == ports.CollVPNDevices
		if numeric && !slices.Equal(got, []string{"1", "2", "3", "11", "12"}) {
			t.Fatalf("%s in order %q, want numeric order", c, got)
		}
	}
}

func archiveIdempotent(t *testing.T, a ports.Archive) {
	for _, c := range ports.Collections() {
		put(t, a, c, sampleRecords(1)[c], sampleRecords(2)[c])
	}
	changed := sampleRecords(1)
	u := changed[ports.CollUsers]
	u.User.Login, u.User.FirstName = "renamed", "Changed"
	l := changed[ports.CollLinks]
	l.Link.Redirects = 99
	put(t, a, ports.CollUsers, u, sampleRecords(2)[ports.CollUsers])
	put(t, a, ports.CollLinks, l)
	for _, c := range ports.Collections() {
		wantCount(t, a, c, 2)
	}
	got, err := a.Scan(t.Context(), ports.CollUsers, "", 10)
	must(t, err, "Scan users")
	wantEqual(t, got[0], u, normRecord, "the user put again")
	got, err = a.Scan(t.Context(), ports.CollLinks, "", 1)
	must(t, err, "Scan links")
	wantEqual(t, got[0], l, normRecord, "the link put again")
	// The login the user gave up is free for another.
	other := sampleRecords(3)[ports.CollUsers]
	other.User.Login = fullUser(1).Login
	put(t, a, ports.CollUsers, other)
}

func archiveHandles(t *testing.T, a ports.Archive) {
	put(t, a, ports.CollUsers, sampleRecords(1)[ports.CollUsers])
	clash := sampleRecords(2)[ports.CollUsers]
	clash.User.Email = fullUser(1).Email
	err := a.Put(t.Context(), ports.CollUsers, []ports.Record{clash})
	wantFault(t, err, fault.Conflict, identity.ReasonEmailTaken, "Put of a user with another's email")
	clash = sampleRecords(3)[ports.CollUsers]
	clash.User.TelegramID = fullUser(1).TelegramID
	err = a.Put(t.Context(), ports.CollUsers, []ports.Record{clash})
	wantFault(t, err, fault.Conflict, identity.ReasonTelegramTaken, "Put of a user with another's Telegram id")
}

func archiveUnknown(t *testing.T, a ports.Archive) {
	_, err := a.Count(t.Context(), "nope")
	wantFault(t, err, fault.Invalid, ports.ReasonCollectionUnknown, "Count")
	_, err = a.Scan(t.Context(), "nope", "", 1)
	wantFault(t, err, fault.Invalid, ports.ReasonCollectionUnknown, "Scan")
	wantFault(t, a.Put(t.Context(), "nope", nil), fault.Invalid, ports.ReasonCollectionUnknown, "Put")
}
