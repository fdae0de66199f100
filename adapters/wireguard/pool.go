package wireguard

import (
	"context"
	"fmt"
	"net/netip"

	"gatehouse/core/fault"
	"gatehouse/core/vpn"
)

// allocate claims one client address in each of the server's ranges for
// key keyID and returns them with their prefix lengths (/32, /128).
func (p *Provisioner) allocate(ctx context.Context, s vpn.Server, keyID string) ([]string, error) {
	used, err := p.book.AddressesInUse(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	taken := make(map[netip.Addr]bool, len(used))
	for _, a := range used {
		if addr, err := netip.ParseAddr(a); err == nil {
			taken[addr] = true
		}
	}
	var out []string
	for _, cidr := range []string{s.WireGuard.IPv4CIDR, s.WireGuard.IPv6CIDR} {
		if cidr == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(cidr)
		if err != nil {
			return nil, fmt.Errorf("wireguard: server %d range %q: %w", s.ID, cidr, err)
		}
		addr, err := p.claimFirstFree(ctx, s.ID, prefix.Masked(), taken, keyID)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()).String())
	}
	return out, nil
}

// claimFirstFree claims the first address of prefix, from its start+2 (the
// server has start+1) to the one before its last, that is not taken,
// moving on when another request claims it first, as wg-easy's nextIP.
// fault.Unavailable vpn.pool_exhausted when none is left.
func (p *Provisioner) claimFirstFree(ctx context.Context, serverID int64, prefix netip.Prefix, taken map[netip.Addr]bool, keyID string) (netip.Addr, error) {
	last := lastAddr(prefix)
	for a := prefix.Addr().Next().Next(); a.IsValid() && a.Less(last); a = a.Next() {
		if taken[a] {
			continue
		}
		err := p.book.ClaimAddress(ctx, serverID, a.String(), keyID)
		if err == nil {
			return a, nil
		}
		if fault.ReasonOf(err) != vpn.ReasonAddressTaken {
			return netip.Addr{}, err
		}
	}
	return netip.Addr{}, vpn.PoolExhausted()
}

// lastAddr is the highest address of prefix.
func lastAddr(prefix netip.Prefix) netip.Addr {
	b := prefix.Addr().AsSlice()
	for i := prefix.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
