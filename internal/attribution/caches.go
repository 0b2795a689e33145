package attribution

import (
	"path"
	"strings"
)

// cache is a package manager's cache or download list, and the lint rule
// that reports it being left in a layer (empty when no rule does).
type cache struct {
	Rule  string
	Label string
	// Roots are absolute directories; a "*" element matches one name.
	Roots []string
	Fix   string
}

// caches are kept in step with the cache rules in rules/ (their Dirs) and
// the analyzer's cache findings; a root listed here is the whole cache.
var caches = []cache{
	{"DL3009", "apt lists", []string{"/var/lib/apt/lists"},
		"rm -rf /var/lib/apt/lists/* in the same RUN, or RUN --mount=type=cache,target=/var/lib/apt,sharing=locked"},
	// apt's package cache (pkgcache.bin, downloaded .debs): Debian's images
	// clean it with /etc/apt/apt.conf.d/docker-clean; no hadolint rule.
	{"", "apt cache", []string{"/var/cache/apt"},
		"apt-get clean in the same RUN, or RUN --mount=type=cache,target=/var/cache/apt,sharing=locked"},
	{"DL3019", "apk cache", []string{"/var/cache/apk", "/etc/apk/cache"},
		"apk add --no-cache, or RUN --mount=type=cache,target=/var/cache/apk"},
	{"DL3032", "yum cache", []string{"/var/cache/yum"}, "yum clean all in the same RUN"},
	{"DL3040", "dnf cache", []string{"/var/cache/dnf", "/var/cache/libdnf5", "/var/lib/dnf/repos"}, "dnf clean all in the same RUN"},
	{"DL3036", "zypper cache", []string{"/var/cache/zypp"}, "zypper clean --all in the same RUN"},
	{"DL3042", "pip cache", []string{"/root/.cache/pip", "/home/*/.cache/pip"},
		"pip install --no-cache-dir, or RUN --mount=type=cache,target=/root/.cache/pip"},
	{"DL3060", "yarn cache", []string{"/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/home/*/.cache/yarn"},
		"yarn cache clean in the same RUN, or RUN --mount=type=cache,target=/usr/local/share/.cache/yarn"},
	{"ST1009", "npm cache", []string{"/root/.npm/_cacache", "/home/*/.npm/_cacache"},
		"npm cache clean --force in the same RUN, or RUN --mount=type=cache,target=/root/.npm"},
	{"ST1009", "go build cache", []string{"/root/.cache/go-build", "/home/*/.cache/go-build", "/go/pkg/mod/cache", "/root/go/pkg/mod/cache"},
		"RUN --mount=type=cache,target=/root/.cache/go-build, or build in another stage"},
	{"ST1009", "gem cache", []string{"/root/.gem", "/usr/local/bundle/cache"}, "gem install --no-document and remove the cache in the same RUN"},
}

// cacheOf returns the index in caches of the cache holding p (an absolute
// path), or -1.
func cacheOf(p string) int {
	for i, c := range caches {
		for _, root := range c.Roots {
			if under(p, root) {
				return i
			}
		}
	}
	return -1
}

// under reports whether p is strictly below root, whose "*" elements
// match any one name.
func under(p, root string) bool {
	pe := strings.Split(strings.Trim(p, "/"), "/")
	re := strings.Split(strings.Trim(root, "/"), "/")
	if len(pe) <= len(re) {
		return false
	}
	for i, r := range re {
		if ok, _ := path.Match(r, pe[i]); !ok {
			return false
		}
	}
	return true
}
