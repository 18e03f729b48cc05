package localch

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The ClickHouse library that chDB publishes on npm: ClickHouse built as a
// shared library around clickhouse-local, which contribtrack runs as a
// server when no official clickhouse binary is installed (see engine.go).
// The version is pinned, and the tarball is checked against the integrity
// hash the registry published for it.
const (
	LibraryPackage   = "@chdb/lib-linux-x64-gnu"
	LibraryVersion   = "26.7.3-stable.1"
	libraryIntegrity = "sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw=="
	libraryMember    = "package/libchdb.so"
	libraryFile      = "libchdb.so"
	// installTimeout bounds one npm download and extraction.
	installTimeout = 15 * time.Minute
)

// LibraryPath returns where the pinned library is (or will be) installed:
// $CONTRIBTRACK_CHDB_LIB when set, else
// $XDG_DATA_HOME/contribtrack/lib/chdb-<version>/libchdb.so (XDG_DATA_HOME
// defaulting to ~/.local/share).
func LibraryPath() (string, error) {
	if p := os.Getenv("CONTRIBTRACK_CHDB_LIB"); p != "" {
		return filepath.Abs(p)
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("localch: cannot find where to keep the ClickHouse library (set CONTRIBTRACK_CHDB_LIB): %w", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "contribtrack", "lib", "chdb-"+LibraryVersion, libraryFile), nil
}

// libraryInstalled reports whether path is a regular, non-empty file.
func libraryInstalled(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}

// InstallLibrary makes sure the pinned ClickHouse library is at
// LibraryPath, downloading it with npm (`npm pack`) when it is not. It
// returns the library's path. Concurrent callers (test binaries running in
// parallel) are serialised by a lock next to the library, and a library is
// only ever put in place whole.
func InstallLibrary(ctx context.Context, log *slog.Logger) (string, error) {
	if log == nil {
		log = slog.Default()
	}
	path, err := LibraryPath()
	if err != nil {
		return "", err
	}
	if libraryInstalled(path) {
		return path, nil
	}
	if os.Getenv("CONTRIBTRACK_CHDB_LIB") != "" {
		return "", fmt.Errorf("localch: CONTRIBTRACK_CHDB_LIB names %s, which is not a file: %w", path, ErrNoBinary)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("localch: %w", err)
	}
	unlock, err := lockDir(ctx, dir, installTimeout)
	if err != nil {
		return "", err
	}
	defer unlock()
	if libraryInstalled(path) { // another process installed it meanwhile
		return path, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("localch: the ClickHouse library is not installed at %s and npm is not on PATH to fetch it "+
			"(on Debian/Ubuntu: apt-get install npm, or run scripts/install-clickhouse.sh): %w", path, ErrNoBinary)
	}
	log.Info("installing ClickHouse (npm package "+LibraryPackage+"@"+LibraryVersion+", about 180 MB)", "into", dir)
	ctx, cancel := context.WithTimeout(ctx, installTimeout)
	defer cancel()
	tmp, err := os.MkdirTemp(dir, ".download-*")
	if err != nil {
		return "", fmt.Errorf("localch: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--pack-destination", tmp, LibraryPackage+"@"+LibraryVersion)
	cmd.Dir = tmp
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("localch: npm pack %s@%s failed: %w\n%s", LibraryPackage, LibraryVersion, err, strings.TrimSpace(string(out)))
	}
	tarballs, _ := filepath.Glob(filepath.Join(tmp, "*.tgz"))
	if len(tarballs) != 1 {
		return "", fmt.Errorf("localch: npm pack %s@%s left %d tarballs in %s, want 1", LibraryPackage, LibraryVersion, len(tarballs), tmp)
	}
	if err := checkIntegrity(tarballs[0], libraryIntegrity); err != nil {
		return "", err
	}
	if err := extractMember(tarballs[0], libraryMember, path); err != nil {
		return "", err
	}
	log.Info("installed ClickHouse library", "path", path)
	return path, nil
}

// checkIntegrity compares a file's SHA-512 with an npm integrity string
// ("sha512-<base64>").
func checkIntegrity(file, integrity string) error {
	want, ok := strings.CutPrefix(integrity, "sha512-")
	if !ok {
		return fmt.Errorf("localch: unsupported integrity %q", integrity)
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("localch: reading %s: %w", file, err)
	}
	if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("localch: %s has sha512 %s, but %s@%s was published with %s: not installing it",
			filepath.Base(file), got, LibraryPackage, LibraryVersion, want)
	}
	return nil
}

// extractMember copies one file of a .tgz to dest, through a temporary
// file renamed into place.
func extractMember(tgz, member, dest string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("localch: reading %s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("localch: %s has no %s", filepath.Base(tgz), member)
		}
		if err != nil {
			return fmt.Errorf("localch: reading %s: %w", tgz, err)
		}
		if h.Name != member || h.Typeflag != tar.TypeReg {
			continue
		}
		out, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
		if err != nil {
			return fmt.Errorf("localch: %w", err)
		}
		defer os.Remove(out.Name()) // no-op after the rename
		if _, err := io.Copy(out, tr); err != nil {
			out.Close()
			return fmt.Errorf("localch: extracting %s: %w", member, err)
		}
		if err := out.Sync(); err != nil {
			out.Close()
			return fmt.Errorf("localch: extracting %s: %w", member, err)
		}
		if err := out.Close(); err != nil {
			return fmt.Errorf("localch: extracting %s: %w", member, err)
		}
		if err := os.Chmod(out.Name(), 0o755); err != nil {
			return fmt.Errorf("localch: %w", err)
		}
		if err := os.Rename(out.Name(), dest); err != nil {
			return fmt.Errorf("localch: %w", err)
		}
		return nil
	}
}
