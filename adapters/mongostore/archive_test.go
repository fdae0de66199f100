package mongostore_test

import (
	"fmt"
	"testing"
	"time"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/vpn"
	"gatehouse/ports"
	"gatehouse/ports/porttest"
)

func TestArchiveContract(t *testing.T) {
	porttest.RunArchive(t, func(tb testing.TB) ports.Archive {
		c, _ := newClient(tb)
		return mongostore.NewArchive(c)
	})
}

// TestVPNStoreOnPutDevices registers devices beside ones an archive put:
// a put device holds a place under its user's limit and its client ID, and
// new IDs follow the put sequence.
func TestVPNStoreOnPutDevices(t *testing.T) {
	ctx := t.Context()
	c, _ := newClient(t)
	a, s := mongostore.NewArchive(c), mongostore.NewVPNStore(c)
	t0 := time.Date(2025, time.March, 14, 9, 0, 0, 0, time.UTC)
	var rs []ports.Record
	for _, id := range []int64{4, 7} {
		d := vpn.Device{ID: id, UserID: "u1", ClientID: fmt.Sprint("client", id), Name: "phone", CreatedAt: t0, LastSeen: t0}
		rs = append(rs, ports.Record{Key: fmt.Sprint(id), VPNDevice: d})
	}
	if err := a.Put(ctx, ports.CollVPNDevices, rs); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(ctx, ports.CollVPNDevices, rs[1:]); err != nil { // again: changes nothing
		t.Fatal(err)
	}
	seq := ports.Sequence{Name: ports.CollVPNDevices, Last: 9}
	if err := a.Put(ctx, ports.CollSequences, []ports.Record{{Key: string(seq.Name), Sequence: seq}}); err != nil {
		t.Fatal(err)
	}
	same, err := s.AddDevice(ctx, vpn.Device{UserID: "u1", ClientID: "client7", Name: "renamed", LastSeen: t0}, 3)
	if err != nil || same.ID != 7 {
		t.Fatalf("AddDevice with a put device's client ID: %+v, %v; want device 7", same, err)
	}
	fresh, err := s.AddDevice(ctx, vpn.Device{UserID: "u1", ClientID: "new", CreatedAt: t0, LastSeen: t0}, 3)
	if err != nil || fresh.ID != 10 {
		t.Fatalf("AddDevice: %+v, %v; want device 10, after the sequence", fresh, err)
	}
	_, err = s.AddDevice(ctx, vpn.Device{UserID: "u1", ClientID: "one-too-many", CreatedAt: t0, LastSeen: t0}, 3)
	if fault.ReasonOf(err) != vpn.ReasonDeviceLimit {
		t.Fatalf("AddDevice past the limit with two put devices: %v", err)
	}
}
