package k8s

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// WordPress's eight authentication keys and salts. Each is generated once and kept in state:
// every pod of a site, user and admin alike, must sign and check cookies with the same values,
// or a login made on an admin pod is rejected by the next user pod (and the official image
// makes up random ones per container when they are unset).
var wordpressKeys = []string{
	"AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
	"AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
}

const (
	// siteSecretName is the site's Secret, mounted read-only as files.
	siteSecretName = "wordpress"
	// secretMountPath is where the Secret's files appear in the container; the image reads
	// each WORDPRESS_*_FILE variable from here, so no secret is ever an environment value.
	secretMountPath    = "/run/secrets/wordpress"
	secretKeyDBPass    = "db-password"
	secretKeySMTPPass  = "smtp-password"
	annotationChecksum = "wordpress-aks/secret-checksum"
)

// SecretFile returns the file a WordPress key becomes in the site's Secret (AUTH_KEY ->
// auth-key); the program names the key's generator after it, as the layer once did.
func SecretFile(key string) string { return strings.ToLower(strings.ReplaceAll(key, "_", "-")) }

// WordPressKeys returns the names of WordPress's eight keys and salts (AUTH_KEY ... NONCE_SALT),
// the keys SiteSecrets.AuthKeys must hold.
func WordPressKeys() []string { return slices.Clone(wordpressKeys) }

// SiteSecrets are a site's generated secrets. They are made outside this layer (by the program
// with pulumi-random, by a test with Pulumi secrets of its own) so that the layer registers no
// random resources and runs wherever the kubernetes provider does. Every value should be a
// Pulumi secret; the Secrets that carry them are secret whatever they are given.
type SiteSecrets struct {
	// DBPassword is the password of the site's own MySQL user.
	DBPassword pulumi.StringOutput
	// AuthKeys maps each of WordPressKeys to its value; it must hold all eight and no other.
	AuthKeys map[string]pulumi.StringOutput
}

// check reports what a site's secrets lack or hold too many of, naming keys, never values.
func (s SiteSecrets) check(site string) error {
	var missing, unknown []string
	if s.DBPassword == (pulumi.StringOutput{}) {
		missing = append(missing, "DBPassword")
	}
	for _, k := range wordpressKeys {
		if v, ok := s.AuthKeys[k]; !ok || v == (pulumi.StringOutput{}) {
			missing = append(missing, k)
		}
	}
	for k := range s.AuthKeys {
		if !slices.Contains(wordpressKeys, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	switch {
	case len(missing) > 0:
		return fmt.Errorf("site %s: secrets lack %s", site, strings.Join(missing, ", "))
	case len(unknown) > 0:
		return fmt.Errorf("site %s: secrets hold unknown keys %s (allowed: %s)", site, strings.Join(unknown, ", "), strings.Join(wordpressKeys, ", "))
	}
	return nil
}

// siteSecrets is the site's Secret and what is derived from it.
type siteSecrets struct {
	Secret     *corev1.Secret
	DBPassword pulumi.StringOutput
	// Checksum changes when any secret value changes; the pod templates carry it, so a
	// rotation rolls the pods and re-runs the database user Job.
	Checksum pulumi.StringOutput
	// DBSecret is the copy of the database password the provisioning Job reads, in the system
	// namespace.
	DBSecret *corev1.Secret
}

// newSecrets stores the site's database password and keys, handed in, in its Secret.
func (b *siteBuild) newSecrets(ns *corev1.Namespace, system *System, in SiteSecrets) (*siteSecrets, error) {
	dbPassword := in.DBPassword
	data := pulumi.StringMap{secretKeyDBPass: dbPassword}
	values := []any{dbPassword}
	for _, k := range wordpressKeys {
		v := in.AuthKeys[k]
		data[SecretFile(k)] = v
		values = append(values, v)
	}
	if b.cfg.SMTPPassword.Set() {
		data[secretKeySMTPPass] = b.cfg.SMTPPassword.Output()
		values = append(values, b.cfg.SMTPPassword.Output())
	}
	secret, err := corev1.NewSecret(b.ctx, b.name("secret"), &corev1.SecretArgs{
		Metadata:   meta(siteSecretName, b.namespace, labels(b.site.Name, appWordPress)),
		Type:       pulumi.String("Opaque"),
		StringData: data,
	}, b.child(ns)...)
	if err != nil {
		return nil, fmt.Errorf("create secret for site %s: %w", b.site.Name, err)
	}
	dbSecret, err := corev1.NewSecret(b.ctx, b.name("db-secret"), &corev1.SecretArgs{
		Metadata:   meta("db-"+b.site.Name, system.Namespace, labels(b.site.Name, componentDB)),
		Type:       pulumi.String("Opaque"),
		StringData: pulumi.StringMap{secretKeyPass: dbPassword},
	}, b.child(system.Ready...)...)
	if err != nil {
		return nil, fmt.Errorf("create database secret for site %s: %w", b.site.Name, err)
	}
	// A SHA-256 over 300+ random characters reveals nothing about them, so the checksum is
	// not a secret and the pod templates that carry it stay readable in plans and diffs.
	checksum := pulumi.Unsecret(pulumi.All(values...).ApplyT(func(vs []any) string {
		h := sha256.New()
		for _, v := range vs {
			fmt.Fprintf(h, "%s\x00", v)
		}
		return hex.EncodeToString(h.Sum(nil))[:16]
	})).(pulumi.StringOutput)
	return &siteSecrets{Secret: secret, DBPassword: dbPassword, Checksum: checksum, DBSecret: dbSecret}, nil
}
