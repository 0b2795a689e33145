package lint

import (
	"bufio"
	"bytes"
	"github.com/strata-dev/strata/internal/lazyre"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// secretKind says why a file name makes it a secret candidate.
type secretKind uint8

const (
	notSecret secretKind = iota
	secretDotenv
	secretPrivateKey // *.pem, *.key: a secret when it holds a private key
	secretSSHKey
	secretNpmrc
	secretPypirc
	secretNetrc
	secretGitCredentials
	secretAWS
	secretCloudJSON
	secretDockerConfig
	secretKubeconfig
	secretKeystore
	secretHtpasswd
	secretTfstate
	// secretKeyJSON is any small JSON file: a secret when its content is a
	// cloud service-account key (sa.json, gcp-key.json).
	secretKeyJSON
)

// keyJSONLimit is the size above which a JSON file of any name is not read
// for a service-account key (one is about 2.3 KiB).
const keyJSONLimit = 16 << 10

// keyJSONCandidate reports whether a JSON file that its name does not give
// away is worth reading for a service-account key: small, and not a
// dependency's or a well-known manifest.
func keyJSONCandidate(name, rel string, size int64) bool {
	lower := strings.ToLower(name)
	if path.Ext(lower) != ".json" || size <= 0 || size > keyJSONLimit {
		return false
	}
	if strings.Contains(rel, "node_modules/") || strings.Contains(rel, "vendor/") || strings.HasPrefix(rel, ".git/") {
		return false
	}
	switch lower {
	case "package.json", "package-lock.json", "composer.json", "composer.lock", "tsconfig.json", "jsconfig.json",
		"manifest.json", "angular.json", "app.json", "renovate.json", ".eslintrc.json", ".prettierrc.json",
		"lerna.json", "nx.json", "project.json", "deno.json", "bower.json", "vercel.json", "firebase.json":
		return false
	}
	return !strings.HasPrefix(lower, "tsconfig.")
}

// Secret is a file of the context that holds credentials.
type Secret struct {
	// Path is relative to the context root.
	Path string
	// What the file is ("private key", "npm token", ...).
	What string
	// Detail names what gave it away, when that helps (the variables of a
	// .env file); never the secret itself.
	Detail string
	Size   int64
}

// secretCandidate decides from a file's name alone whether to look at it.
func secretCandidate(name, rel string) secretKind {
	lower := strings.ToLower(name)
	switch lower {
	case ".env":
		return secretDotenv
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk":
		return secretSSHKey
	case ".npmrc":
		return secretNpmrc
	case ".pypirc":
		return secretPypirc
	case ".netrc", "_netrc":
		return secretNetrc
	case ".git-credentials":
		return secretGitCredentials
	case ".htpasswd":
		return secretHtpasswd
	case "kubeconfig":
		return secretKubeconfig
	case "credentials":
		if strings.HasSuffix(rel, ".aws/credentials") {
			return secretAWS
		}
		return notSecret
	case "config":
		if strings.HasSuffix(rel, ".kube/config") {
			return secretKubeconfig
		}
		return notSecret
	case "config.json":
		if strings.HasSuffix(rel, ".docker/config.json") {
			return secretDockerConfig
		}
		return notSecret
	case "credentials.json", "application_default_credentials.json", "client_secret.json", "keyfile.json":
		return secretCloudJSON
	}
	if rest, ok := strings.CutPrefix(lower, ".env."); ok {
		switch rest {
		case "example", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults", "schema", "example.local":
			return notSecret
		}
		return secretDotenv
	}
	switch path.Ext(lower) {
	case ".env": // prod.env, production.env
		switch strings.TrimSuffix(lower, ".env") {
		case "example", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults", "schema", "test":
			return notSecret
		}
		return secretDotenv
	case ".pem", ".key":
		return secretPrivateKey
	case ".p12", ".pfx", ".jks", ".keystore":
		return secretKeystore
	case ".tfstate":
		return secretTfstate
	case ".json":
		if strings.Contains(lower, "service-account") || strings.Contains(lower, "service_account") ||
			strings.Contains(lower, "serviceaccount") || strings.HasPrefix(lower, "client_secret") ||
			strings.HasSuffix(lower, "-credentials.json") || strings.HasSuffix(lower, "_credentials.json") {
			return secretCloudJSON
		}
	}
	return notSecret
}

// secretReadLimit bounds what is read of a candidate: secrets live in small
// files, and the start of a file says what it is.
const secretReadLimit = 64 << 10

var (
	// secretName is BuildKit's test for secret-looking variable names
	// (SecretsUsedInArgOrEnv), applied to .env keys.
	secretName     = lazyre.New(`(?i)(?:^|_)(?:api_?key|apikey|auth|credentials?|key|passw(?:or)?d|pword|pwd|secret|token|private)(?:_|$)`)
	npmToken       = lazyre.New(`(?m)(?:_authToken|_auth|_password)\s*=\s*([^\s$][^\s]*)`)
	pypiPassword   = lazyre.New(`(?mi)^\s*password\s*[=:]\s*\S`)
	netrcSecret    = lazyre.New(`(?m)\b(?:password|passwd)\s+\S`)
	awsSecret      = lazyre.New(`(?mi)^\s*aws_secret_access_key\s*=\s*\S`)
	jsonSecret     = lazyre.New(`"(?:private_key|client_secret|refresh_token)"\s*:\s*"[^"]`)
	serviceAccount = lazyre.New(`"type"\s*:\s*"service_account"`)
	dockerAuth     = lazyre.New(`"(?:auth|identitytoken)"\s*:\s*"[^"]`)
	kubeSecret     = lazyre.New(`(?m)^\s*(?:client-key-data|token|password)\s*:\s*\S`)
	tfSecret       = lazyre.New(`"(?:password|secret|private_key|access_key|token)[^"]*"\s*:\s*"[^"]`)
	privateKey     = []byte("PRIVATE KEY-----")
)

// Secrets returns the files that are sent (not excluded) and hold
// credentials, sorted by path. Candidates are picked by name during the walk;
// only they are read, at most secretReadLimit bytes each, in parallel, once.
func (x *ContextIndex) Secrets() []Secret {
	x.secretsOnce.Do(func() {
		var cand []int
		for i := range x.Entries {
			if e := &x.Entries[i]; e.Secret != notSecret && !e.Excluded {
				cand = append(cand, i)
			}
		}
		found := make([]*Secret, len(cand))
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		for k, i := range cand {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				e := &x.Entries[i]
				found[k] = inspectSecret(filepath.Join(x.Dir, filepath.FromSlash(e.Path)), e)
			}()
		}
		wg.Wait()
		for _, s := range found {
			if s != nil {
				x.secrets = append(x.secrets, *s)
			}
		}
		sort.Slice(x.secrets, func(i, j int) bool { return x.secrets[i].Path < x.secrets[j].Path })
	})
	return x.secrets
}

// inspectSecret reads the start of a candidate and says whether it holds a
// secret.
func inspectSecret(file string, e *ContextEntry) *Secret {
	s := &Secret{Path: e.Path, Size: e.Size}
	if e.Secret == secretKeystore {
		s.What = "key store"
		return s
	}
	data, err := readHead(file)
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	switch e.Secret {
	case secretDotenv:
		keys := dotenvSecretKeys(data)
		if len(keys) == 0 {
			return nil
		}
		s.What, s.Detail = "environment file", "sets "+strings.Join(keys, ", ")
	case secretPrivateKey, secretSSHKey:
		if !bytes.Contains(data, privateKey) {
			return nil
		}
		s.What = "private key"
	case secretNpmrc:
		if !npmToken().Match(data) {
			return nil
		}
		s.What = "npm registry token"
	case secretPypirc:
		if !pypiPassword().Match(data) {
			return nil
		}
		s.What = "PyPI password"
	case secretNetrc:
		if !netrcSecret().Match(data) {
			return nil
		}
		s.What = "netrc password"
	case secretGitCredentials:
		if !bytes.Contains(data, []byte("@")) {
			return nil
		}
		s.What = "Git credentials"
	case secretAWS:
		if !awsSecret().Match(data) {
			return nil
		}
		s.What = "AWS credentials"
	case secretCloudJSON:
		if !jsonSecret().Match(data) {
			return nil
		}
		s.What = "cloud credentials"
	case secretKeyJSON:
		if !serviceAccount().Match(data) || !jsonSecret().Match(data) {
			return nil
		}
		s.What = "cloud service-account key"
	case secretDockerConfig:
		if !dockerAuth().Match(data) {
			return nil
		}
		s.What = "registry credentials"
	case secretKubeconfig:
		if !kubeSecret().Match(data) {
			return nil
		}
		s.What = "Kubernetes credentials"
	case secretHtpasswd:
		if !bytes.Contains(data, []byte(":")) {
			return nil
		}
		s.What = "password hashes"
	case secretTfstate:
		if !tfSecret().Match(data) {
			return nil
		}
		s.What = "Terraform state with secrets"
	default:
		return nil
	}
	return s
}

func readHead(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return io.ReadAll(io.LimitReader(f, secretReadLimit))
}

// dotenvSecretKeys returns the secret-looking keys a .env file sets to a
// non-empty value, at most four.
func dotenvSecretKeys(data []byte) []string {
	var keys []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if v == "" || strings.HasPrefix(v, "${") || strings.HasPrefix(v, "<") || !secretName().MatchString(k) {
			continue
		}
		if len(keys) == 4 {
			keys = append(keys, "...")
			break
		}
		keys = append(keys, k)
	}
	return keys
}
