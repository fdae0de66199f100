package app

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// smallDisk mounts a tmpfs of size bytes on a new directory: a disk the
// test can fill and empty. It needs root; elsewhere the test is skipped.
func smallDisk(tb testing.TB, size string) string {
	tb.Helper()
	dir := tb.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		tb.Skipf("cannot mount a small disk (needs root): %v %s", err, out)
	}
	tb.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file until the disk is full.
func fill(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 64<<10)
	for {
		if _, err := f.Write(block); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			tb.Fatal(err)
		}
	}
}

// TestFullDiskIsUnavailable: with the data disk full, writes through every
// contract answer 503 in that contract's shape, /readyz says the storage is
// not ready, and both recover on their own once space is freed.
func TestFullDiskIsUnavailable(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a disk and boots the service")
	}
	disk := smallDisk(t, "8m")
	svc := startService(t, "GATEHOUSE_DATA_DIR="+filepath.Join(disk, "data"))
	var p pair
	if code := svc.call(t, "POST", "/auth/register", `{"username":"full","email":"full@example.com","password":"Xq7vLm2pZ"}`, nil, nil); code != 201 {
		t.Fatalf("register before the disk fills: %d", code)
	}
	if code := svc.call(t, "POST", "/auth/login", `{"email":"full@example.com","password":"Xq7vLm2pZ"}`, nil, &p); code != 200 {
		t.Fatalf("login before the disk fills: %d", code)
	}

	filler := filepath.Join(disk, "filler")
	fill(t, filler)
	var e3 errorBody
	if code := svc.call(t, "POST", "/v1/user", `{"login":"x1@example.com","password":"correct horse battery"}`, nil, &e3); code != 503 || e3.Error.Code != "unavailable" {
		t.Errorf("003 registration on a full disk: %d %+v, want 503 unavailable", code, e3)
	}
	var e4 struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if code := svc.call(t, "POST", "/account/registration", `{"login":"full_2","password":"Xq7vLm2pZ","email":"full2@example.com","first_name":"Данила","last_name":"Гинда"}`, nil, &e4); code != 503 || e4.ErrorMessage == "" {
		t.Errorf("004 registration on a full disk: %d %+v, want 503 with errorMessage", code, e4)
	}
	for name, call := range map[string]func() int{
		"002 login": func() int {
			return svc.call(t, "POST", "/auth/login", `{"email":"full@example.com","password":"Xq7vLm2pZ"}`, nil, nil)
		},
		"002 refresh": func() int { return svc.call(t, "POST", "/auth/refresh", `{"token":"`+p.RefreshToken+`"}`, nil, nil) },
		"002 link": func() int {
			return svc.call(t, "POST", "/urls", `{"url":"https://example.com/f"}`, bearer(p.AccessToken), nil)
		},
	} {
		if code := call(); code != 503 {
			t.Errorf("%s on a full disk: %d, want 503", name, code)
		}
	}
	waitReady(t, svc, 503)

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitReady(t, svc, 200)
	if code := svc.call(t, "POST", "/v1/user", `{"login":"x1@example.com","password":"correct horse battery"}`, nil, nil); code != 201 && code != 200 {
		t.Errorf("003 registration after space was freed: %d", code)
	}
	if code := svc.call(t, "POST", "/auth/refresh", `{"token":"`+p.RefreshToken+`"}`, nil, nil); code != 200 {
		t.Errorf("002 refresh after space was freed: %d (the failed attempt must not have spent the token)", code)
	}
}

// waitReady polls /readyz until it answers want; the storage probe runs at
// most every few seconds.
func waitReady(tb testing.TB, svc *service, want int) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		code := svc.call(tb, "GET", "/readyz", "", nil, nil)
		if code == want {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("/readyz = %d, want %d", code, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
