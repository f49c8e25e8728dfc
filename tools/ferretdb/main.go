// Command ferretdb runs FerretDB v1 as the local MongoDB-wire server, on PostgreSQL (the
// default Entrada uses) or on SQLite.
//
// Why a launcher instead of `go install .../cmd/ferretdb@v1.24.2`: the module as served by
// the Go proxy lacks build/version/version.txt, and the official command panics at start
// when built outside FerretDB's own tree. The embeddable package `ferretdb` skips that
// check, so this file is the whole server: FerretDB's own code, started with our flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL backend: connection URL, e.g. postgres://postgres@127.0.0.1:5432/ferretdb")
	sqliteDir := flag.String("sqlite-dir", "", "SQLite backend: directory for the databases (when -postgresql-url is not given)")
	level := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		fail(2, "bad -log-level %q: %v", *level, err)
	}

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv})),
	}
	backend := ""
	switch {
	case *pgURL != "" && *sqliteDir != "":
		fail(2, "give -postgresql-url or -sqlite-dir, not both")
	case *pgURL != "":
		config.Handler, config.PostgreSQLURL = "postgresql", *pgURL
		backend = "PostgreSQL"
	case *sqliteDir != "":
		if err := os.MkdirAll(*sqliteDir, 0o755); err != nil {
			fail(1, "cannot create %s: %v", *sqliteDir, err)
		}
		config.Handler, config.SQLiteURL = "sqlite", "file:"+*sqliteDir+"/"
		backend = "SQLite in " + *sqliteDir
	default:
		fail(2, "give -postgresql-url (PostgreSQL backend) or -sqlite-dir (SQLite backend)")
	}

	f, err := ferretdb.New(config)
	if err != nil {
		fail(1, "%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s, backend %s\n", *listen, backend)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fail(1, "%v", err)
	}
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(code)
}
