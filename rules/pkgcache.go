package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// packageCache describes where a package manager keeps its cache and how
// to keep that cache out of the image. One table drives the cache rules'
// detection, their messages and the --mount=type=cache suggestion: the
// hadolint rules (DL3009, DL3019, DL3032, DL3036, DL3040, DL3042, DL3060)
// read Manager, Dirs and Clean; ST1009 also reads the fields after them,
// for the managers hadolint has no rule for.
type packageCache struct {
	Manager string
	// Dirs are the cache directories; a cache or tmpfs mount whose target
	// contains one of them keeps the cache out of the layer.
	Dirs []string
	// Clean is the command that empties the cache in the same RUN.
	Clean string

	// Holds says what the cache keeps, for messages.
	Holds string
	// Marks are fragments of a path, in lower case, that name the cache: an
	// rm of a path containing one (compared without case, so that
	// "$COMPOSER_HOME" counts), or a cache mount on one, deals with it.
	Marks []string
	// Fills reports whether a command fills the cache.
	Fills func(c *lint.Command) bool
	// Empties reports whether a command empties it (rm aside).
	Empties func(c *lint.Command) bool
	// Skips reports whether the filling command itself keeps no cache
	// (a --no-cache flag).
	Skips func(c *lint.Command) bool
	// OffEnv are environment variables that, set to a true value, keep
	// the manager from caching.
	OffEnv []string
	// DirEnv are environment variables that move the cache elsewhere
	// (npm_config_cache=/tmp/npm): an rm of, or a cache mount on, the
	// directory they name deals with it too.
	DirEnv []string
	// Toolchain is the toolchain image family (see toolchainImage) whose
	// single-stage builds ST1008 reports: the cache is then part of that
	// finding.
	Toolchain string
}

var packageCaches = map[string]packageCache{
	"apt":    {Manager: "apt-get", Dirs: []string{"/var/cache/apt", "/var/lib/apt"}, Clean: "rm -rf /var/lib/apt/lists/*"},
	"apk":    {Manager: "apk", Dirs: []string{"/var/cache/apk"}, Clean: "apk add --no-cache"},
	"yum":    {Manager: "yum", Dirs: []string{"/var/cache/yum"}, Clean: "yum clean all"},
	"dnf":    {Manager: "dnf", Dirs: []string{"/var/cache/libdnf5", "/var/cache/dnf"}, Clean: "dnf clean all"},
	"zypper": {Manager: "zypper", Dirs: []string{"/var/cache/zypp"}, Clean: "zypper clean --all"},
	"pip":    {Manager: "pip", Dirs: []string{"/root/.cache/pip"}, Clean: "pip install --no-cache-dir"},
	"yarn":   {Manager: "yarn", Dirs: []string{"/usr/local/share/.cache/yarn"}, Clean: "yarn cache clean"},
	"npm": {Manager: "npm", DirEnv: []string{"npm_config_cache", "NPM_CONFIG_CACHE"}, Dirs: []string{"/root/.npm"}, Clean: "npm cache clean --force",
		Holds: "a copy of every package tarball it downloaded (~/.npm/_cacache)", Marks: []string{".npm", "npm_config_cache"},
		Fills: subcommand("npm", "install", "i", "ci", "add", "update", "up", "upgrade"),
		Empties: func(c *lint.Command) bool {
			return c.Is("npm") && c.HasArg("cache") && c.HasArg("clean", "clear", "rm")
		}},
	"pnpm": {Manager: "pnpm", DirEnv: []string{"npm_config_store_dir", "NPM_CONFIG_STORE_DIR", "PNPM_STORE_DIR"}, Dirs: []string{"/root/.local/share/pnpm/store"}, Clean: "pnpm store prune",
		Holds: "its content-addressed store of every package (~/.local/share/pnpm/store)", Marks: []string{"pnpm/store", "/pnpm"},
		Fills:   subcommand("pnpm", "install", "i", "add", "fetch", "update", "up"),
		Empties: func(c *lint.Command) bool { return c.Is("pnpm") && c.HasArg("store") && c.HasArg("prune") }},
	"go": {Manager: "go", DirEnv: []string{"GOCACHE", "GOMODCACHE"}, Dirs: []string{"/root/.cache/go-build", "/go/pkg/mod"}, Clean: "go clean -cache -modcache",
		Holds: "the build cache (~/.cache/go-build) and every downloaded module (/go/pkg/mod)", Marks: []string{"go-build", "pkg/mod", ".cache/go", "gocache", "gomodcache"},
		Fills: func(c *lint.Command) bool {
			return subcommand("go", "build", "install", "get", "test", "run")(c) || goModDownload(c)
		},
		Empties:   func(c *lint.Command) bool { return c.Is("go") && c.HasArg("clean") && c.HasArg("-cache", "-modcache") },
		Toolchain: "go"},
	"gem": {Manager: "gem", Dirs: []string{"/usr/local/bundle/cache", "/root/.gem"}, Clean: "rm -rf /usr/local/bundle/cache/*.gem",
		Holds: "the .gem package of every gem it installed ($GEM_HOME/cache)", Marks: []string{"bundle/cache", "gems/cache", "/cache/*.gem", ".gem", "gem_home"},
		Fills: func(c *lint.Command) bool {
			return subcommand("gem", "install")(c) || subcommand("bundle", "install")(c) || c.Is("bundle") && len(c.ArgsNoFlags()) == 0 && !versionQuery(c)
		}},
	"composer": {Manager: "composer", DirEnv: []string{"COMPOSER_CACHE_DIR", "COMPOSER_HOME"}, Dirs: []string{"/root/.composer/cache", "/root/.cache/composer", "/tmp/cache"}, Clean: "composer clear-cache",
		Holds: "a copy of every package archive it downloaded", Marks: []string{"composer"},
		Fills:   subcommand("composer", "install", "update", "require", "create-project"),
		Empties: subcommand("composer", "clear-cache", "clearcache", "cc"),
		Skips:   func(c *lint.Command) bool { return c.HasArg("--no-cache") }},
	"conda": {Manager: "conda", DirEnv: []string{"CONDA_PKGS_DIRS"}, Dirs: []string{"/opt/conda/pkgs"}, Clean: "conda clean --all --yes",
		Holds: "every package it downloaded, packed and unpacked (/opt/conda/pkgs)", Marks: []string{"/pkgs", "conda_pkgs"},
		Fills: func(c *lint.Command) bool {
			for _, m := range []string{"conda", "mamba", "micromamba"} {
				if subcommand(m, "install", "create", "update")(c) || subcommand(m, "env")(c) && c.HasArg("create", "update") {
					return true
				}
			}
			return false
		},
		Empties: func(c *lint.Command) bool { return c.Is("conda", "mamba", "micromamba") && c.HasArg("clean") }},
	"cargo": {Manager: "cargo", DirEnv: []string{"CARGO_HOME"}, Dirs: []string{"/usr/local/cargo/registry", "/root/.cargo/registry"}, Clean: "rm -rf /usr/local/cargo/registry",
		Holds: "the registry index and the source of every crate it fetched ($CARGO_HOME/registry)", Marks: []string{"cargo/registry", ".cargo", "cargo_home"},
		Fills: subcommand("cargo", "build", "install", "fetch", "test"), Toolchain: "rust"},
	"maven": {Manager: "mvn", Dirs: []string{"/root/.m2/repository"}, Clean: "rm -rf /root/.m2/repository",
		Holds: "every dependency and plugin it downloaded (~/.m2/repository)", Marks: []string{".m2", "maven.repo.local"},
		Fills: func(c *lint.Command) bool {
			return (c.Is("mvn") || strings.HasSuffix(c.Name.Value, "mvnw")) && len(c.ArgsNoFlags()) > 0
		},
		Toolchain: "maven"},
	"gradle": {Manager: "gradle", DirEnv: []string{"GRADLE_USER_HOME"}, Dirs: []string{"/root/.gradle/caches"}, Clean: "rm -rf /root/.gradle/caches",
		Holds: "every dependency it downloaded and its build caches (~/.gradle/caches)", Marks: []string{".gradle", "gradle_user_home"},
		Fills: func(c *lint.Command) bool {
			return (c.Is("gradle") || strings.HasSuffix(c.Name.Value, "gradlew")) && len(c.ArgsNoFlags()) > 0
		},
		Toolchain: "gradle"},
	"poetry": {Manager: "poetry", DirEnv: []string{"POETRY_CACHE_DIR"}, Dirs: []string{"/root/.cache/pypoetry"}, Clean: "poetry cache clear --all --no-interaction pypi",
		Holds: "every wheel and archive it downloaded (~/.cache/pypoetry)", Marks: []string{"pypoetry", "poetry_cache"},
		Fills:   subcommand("poetry", "install", "add", "update"),
		Empties: func(c *lint.Command) bool { return c.Is("poetry") && c.HasArg("cache") && c.HasArg("clear") },
		Skips:   func(c *lint.Command) bool { return c.HasArg("--no-cache") }},
	"uv": {Manager: "uv", DirEnv: []string{"UV_CACHE_DIR"}, Dirs: []string{"/root/.cache/uv"}, Clean: "uv cache clean",
		Holds: "every wheel it downloaded or built (~/.cache/uv)", Marks: []string{".cache/uv", "uv_cache"},
		Fills: func(c *lint.Command) bool {
			return subcommand("uv", "sync", "add")(c) || c.Is("uv") && len(c.Args) > 1 &&
				(c.Args[0].Value == "pip" && (c.Args[1].Value == "install" || c.Args[1].Value == "sync") ||
					c.Args[0].Value == "tool" && c.Args[1].Value == "install")
		},
		Empties: func(c *lint.Command) bool { return c.Is("uv") && c.HasArg("cache") && c.HasArg("clean", "prune") },
		Skips:   func(c *lint.Command) bool { return c.HasArg("--no-cache", "-n") },
		OffEnv:  []string{"UV_NO_CACHE"}},
}

// strataCaches are the packageCaches keys ST1009 checks, in report order.
var strataCaches = []string{"npm", "pnpm", "go", "gem", "composer", "conda", "cargo", "maven", "gradle", "poetry", "uv"}

// subcommand matches `name sub ...` for any of subs, the subcommand being
// the first argument that is not a flag.
func subcommand(name string, subs ...string) func(*lint.Command) bool {
	return func(c *lint.Command) bool {
		if !c.Is(name) {
			return false
		}
		for _, a := range c.Args {
			if a.IsFlag() {
				continue
			}
			for _, s := range subs {
				if a.Value == s {
					return true
				}
			}
			return false
		}
		return false
	}
}

// versionQuery reports whether a command only prints its version or help.
func versionQuery(c *lint.Command) bool {
	return c.HasArg("-v", "--version", "version", "-h", "--help", "help")
}

// goModDownload matches `go mod download`.
func goModDownload(c *lint.Command) bool {
	return c.Is("go") && len(c.Args) > 1 && c.Args[0].Value == "mod" && c.Args[1].Value == "download"
}

// mountHint is the RUN flag that keeps a manager's cache out of the layer
// while still reusing it between builds.
func mountHint(key string) string {
	c := packageCaches[key]
	var b strings.Builder
	for i, d := range c.Dirs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("--mount=type=cache,target=" + d)
		if key == "apt" {
			b.WriteString(",sharing=locked")
		}
	}
	return b.String()
}

// cacheHelpAt is cacheHelp with the cache directories under the home of
// the user the RUN runs as (ins): HOME from ENV or ARG when set, /root for
// root, else /home/USER as a best guess (/home/node in the node images).
func cacheHelpAt(key string, ins *lint.Instruction) string {
	h := cacheHelp(key)
	if home := runHome(ins); home != "" && home != "/root" {
		h = strings.ReplaceAll(h, "target=/root/", "target="+strings.TrimSuffix(home, "/")+"/")
	}
	return h
}

// runHome guesses the home directory of the user a RUN runs as, or ""
// when it cannot tell.
func runHome(ins *lint.Instruction) string {
	env := stageEnv(ins)
	if h, ok := env["HOME"]; ok && strings.HasPrefix(h, "/") {
		return h
	}
	user := ""
	if ins.Stage != nil {
		chain := ins.Stage.Ancestors()
	stages:
		for i := len(chain) - 1; i >= 0; i-- {
			for _, x := range chain[i].Instructions {
				if x == ins || x == ins.Outer {
					break stages
				}
				if x.Kind == "user" && len(x.Args) > 0 {
					user = x.Args[0].Value
				}
			}
		}
	}
	if strings.Contains(user, "$") {
		user = expandVars(user, env, "\x01")
		if strings.ContainsAny(user, "$\x01") {
			return ""
		}
	}
	user, _, _ = strings.Cut(user, ":")
	switch {
	case user == "" || user == "root" || user == "0":
		return "/root"
	case strings.Trim(user, "0123456789") == "" || strings.ContainsAny(user, "/ "):
		return "" // a bare uid: its home is not known
	}
	return "/home/" + user
}

// cacheHelp is the help line shared by the cache rules.
func cacheHelp(key string) string {
	c := packageCaches[key]
	return "clean up in the same RUN (" + c.Clean + "), or keep the cache out of the layer with RUN " + mountHint(key)
}
