package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	privatedns "github.com/pulumi/pulumi-azure-native-sdk/network/v2/v20240601"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MySQL is the database server as the sites see it.
type MySQL struct {
	// Host is the server's private FQDN, resolvable inside the VNet only.
	Host          pulumi.StringOutput
	AdminLogin    string
	AdminPassword pulumi.StringOutput // secret
	ServerID      pulumi.IDOutput
	ServerName    pulumi.StringOutput
	// Databases maps site name to its database resource, for dependency edges.
	Databases map[string]pulumi.Resource
}

// MySQL server settings the program always sets.
const (
	mysqlCharset   = "utf8mb4"
	mysqlCollation = "utf8mb4_unicode_ci"
	// adminPasswordLength is well inside Azure's 8-128 limit.
	adminPasswordLength = 32
)

// NewMySQL creates the flexible server with private access only, TLS required, and one database
// per site. Server and databases are stateful: protected unless the stack opts out.
func NewMySQL(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, net *Network, suffix pulumi.StringOutput) (*MySQL, error) {
	names := cfg.Names()
	m := cfg.MySQL

	zone, err := privatedns.NewPrivateZone(ctx, "mysql-dns-zone", &privatedns.PrivateZoneArgs{
		PrivateZoneName:   pulumi.String(names.MySQLPrivateDNSZone()),
		ResourceGroupName: rg.Name,
		Location:          pulumi.String("global"),
		Tags:              tags(cfg),
	})
	if err != nil {
		return nil, fmt.Errorf("create mysql dns zone: %w", err)
	}
	link, err := privatedns.NewVirtualNetworkLink(ctx, "mysql-dns-link", &privatedns.VirtualNetworkLinkArgs{
		VirtualNetworkLinkName: pulumi.String(names.VNetLink()),
		PrivateZoneName:        zone.Name,
		ResourceGroupName:      rg.Name,
		Location:               pulumi.String("global"),
		Tags:                   tags(cfg),
		VirtualNetwork:         &privatedns.SubResourceArgs{Id: net.VNetID},
		RegistrationEnabled:    pulumi.Bool(false),
	})
	if err != nil {
		return nil, fmt.Errorf("link mysql dns zone: %w", err)
	}

	password, err := NewPassword(ctx, "mysql-admin-password", adminPasswordLength)
	if err != nil {
		return nil, err
	}
	var server mysqlServer
	// maintenanceWindow is left out: the 2023-12-30 API refuses it on create (ServerNotExist),
	// and the system-managed window is fine for a few blogs.
	err = ctx.RegisterResource(tokenMySQLServer, "mysql", pulumi.Map{
		"resourceGroupName":          rg.Name,
		"serverName":                 uniqueName(m.ServerName, suffix, names.MySQLServer),
		"location":                   pulumi.String(cfg.Location),
		"tags":                       tags(cfg),
		"createMode":                 pulumi.String("Default"),
		"version":                    pulumi.String(m.Version),
		"administratorLogin":         pulumi.String(m.AdminLogin),
		"administratorLoginPassword": password,
		"sku": pulumi.Map{
			"name": pulumi.String(m.SKUName),
			"tier": pulumi.String(m.Tier),
		},
		"storage": pulumi.Map{
			"storageSizeGB": pulumi.Int(m.StorageGB),
			"autoGrow":      enabled(m.AutoGrow),
		},
		"backup": pulumi.Map{
			"backupRetentionDays": pulumi.Int(m.BackupRetentionDays),
			"geoRedundantBackup":  enabled(m.GeoRedundantBackup),
		},
		"highAvailability": pulumi.Map{"mode": pulumi.String(m.HighAvailability)},
		// Private access: the server gets an address in the delegated subnet and a name in the
		// linked private zone, and no public endpoint at all.
		"network": pulumi.Map{
			"publicNetworkAccess":       pulumi.String("Disabled"),
			"delegatedSubnetResourceId": net.MySQLSubnetID,
			"privateDnsZoneResourceId":  zone.ID().ToStringOutput(),
		},
	}, &server, armOpts(stateful(cfg,
		pulumi.DependsOn([]pulumi.Resource{link}),
		pulumi.AdditionalSecretOutputs([]string{"administratorLoginPassword"}),
	)...)...)
	if err != nil {
		return nil, fmt.Errorf("create mysql server: %w", err)
	}

	// Azure's default is already ON; stating it keeps a portal click from silently turning TLS
	// off, since the next pulumi up puts it back.
	var tls mysqlChild
	err = ctx.RegisterResource(tokenMySQLConfiguration, "mysql-require-secure-transport", pulumi.Map{
		"resourceGroupName": rg.Name,
		"serverName":        server.Name,
		"configurationName": pulumi.String("require_secure_transport"),
		"value":             pulumi.String("ON"),
		"source":            pulumi.String("user-override"),
	}, &tls, armOpts()...)
	if err != nil {
		return nil, fmt.Errorf("require mysql tls: %w", err)
	}

	dbs := map[string]pulumi.Resource{}
	for _, site := range cfg.Sites {
		var db mysqlChild
		err := ctx.RegisterResource(tokenMySQLDatabase, "mysql-db-"+site.Name, pulumi.Map{
			"resourceGroupName": rg.Name,
			"serverName":        server.Name,
			"databaseName":      pulumi.String(site.Database),
			"charset":           pulumi.String(mysqlCharset),
			"collation":         pulumi.String(mysqlCollation),
		}, &db, armOpts(stateful(cfg)...)...)
		if err != nil {
			return nil, fmt.Errorf("create database for site %s: %w", site.Name, err)
		}
		dbs[site.Name] = &db
	}

	return &MySQL{
		Host:          server.FullyQualifiedDomainName,
		AdminLogin:    m.AdminLogin,
		AdminPassword: password,
		ServerID:      server.ID(),
		ServerName:    server.Name,
		Databases:     dbs,
	}, nil
}

// enabled spells a bool the way the MySQL API wants it.
func enabled(b bool) pulumi.String {
	if b {
		return "Enabled"
	}
	return "Disabled"
}
