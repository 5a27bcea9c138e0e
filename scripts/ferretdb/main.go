// Command ferretdb runs an embedded FerretDB v1 server: the MongoDB-wire database that development and the
// tests use when no DATABASE_URL is set. A plain `go install` of FerretDB's own command panics (its module copy
// lacks the generated version file), while the embeddable package works, hence this small program.
//
// It prints one line "ready mongodb://HOST:PORT/" on stdout once it accepts connections, listens on loopback
// only, and exits on SIGINT/SIGTERM or when its parent process goes away, so a crashed dev server or test run
// never leaves a database behind.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27018", "loopback TCP address to listen on (port 0 picks a free one)")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "", "data directory for the sqlite backend")
	postgresURL := flag.String("postgresql-url", "", "connection URL for the postgresql backend")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	setVersion()

	if err := run(*listen, *handler, *sqliteDir, *postgresURL, *logLevel); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listen, handler, sqliteDir, postgresURL, logLevel string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("bad -listen %q: %w", listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing to listen on %q: loopback addresses only", host)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listen},
		Logger:   logger,
		Handler:  handler,
	}
	switch handler {
	case "sqlite":
		if sqliteDir == "" {
			return fmt.Errorf("-sqlite-dir is required for the sqlite backend")
		}
		abs, err := filepath.Abs(sqliteDir)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return err
		}
		config.SQLiteURL = "file:" + abs + "/"
	case "postgresql":
		if postgresURL == "" {
			return fmt.Errorf("-postgresql-url is required for the postgresql backend")
		}
		config.PostgreSQLURL = postgresURL
	default:
		return fmt.Errorf("unknown -handler %q (sqlite or postgresql)", handler)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go exitWithParent(ctx, cancel)

	db, err := ferretdb.New(config)
	if err != nil {
		return err
	}

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	// MongoDBURI blocks until the listener is bound, so printing it doubles as the readiness signal.
	fmt.Printf("ready %s\n", db.MongoDBURI())

	return <-done
}

// exitWithParent cancels ctx once this process is re-parented: the dev server or test runner that started it
// has died without stopping it.
func exitWithParent(ctx context.Context, cancel context.CancelFunc) {
	parent := os.Getppid()
	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != parent {
				cancel()
				return
			}
		}
	}
}

// setVersion fills in the version FerretDB reports in buildInfo (ferretdbVersion) and serverStatus. Its version
// package reads generated files that only FerretDB's own release build has, so the embeddable package reports
// "unknown"; the module version this program was built against (from go.mod, recorded in the binary) is the real one.
func setVersion() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/FerretDB/FerretDB" {
			version.Get().Version = dep.Version
			return
		}
	}
}
