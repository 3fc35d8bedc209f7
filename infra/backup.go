package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/recoveryservices/v2"
	rsv "github.com/pulumi/pulumi-azure-native-sdk/recoveryservices/v2/v20241001"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Backup is what the wp-content disk's backup asks of the rest of the stack.
type Backup struct {
	// Locked are the backup's resources that take an Azure delete lock with the data.
	Locked map[string]pulumi.IDOutput
}

const (
	// backupInstantRestoreDays keeps snapshots next to the disk for fast restores.
	backupInstantRestoreDays = 2
	// softDeleteDays keeps a deleted backup recoverable (Azure's default and minimum).
	softDeleteDays = 14
	// backupDataLUN is the wp-content disk's LUN on the NFS VM.
	backupDataLUN = 0
)

// NewBackup backs the wp-content disk up daily as backup.method says: incremental snapshots
// (snapshots.go's reasoning: the same restore, a third of the price) or Azure VM backup.
func NewBackup(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, nfs *NFS) (*Backup, error) {
	if cfg.Backup.Method == config.BackupVM {
		return newVMBackup(ctx, cfg, rg, nfs)
	}
	return newSnapshotBackup(ctx, cfg, nfs)
}

// newVMBackup backs the NFS VM up daily with Azure Backup into a Recovery Services vault, with
// the retention from config. Azure Backup snapshots whole VMs; the inclusion list keeps it to
// the wp-content disk (plus the OS disk, which Azure always includes). A restore brings back
// the disk, which the README's procedure attaches in place of the old one. It costs a
// protected-instance fee ($10 a month once the OS and data disks pass 50 GB) plus vault
// storage, and it is the method that can keep a copy in the paired region.
func newVMBackup(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, nfs *NFS) (*Backup, error) {
	b := cfg.Backup
	names := cfg.Names()
	crossRegion := "Disabled"
	if b.StorageRedundancy == geoRedundant {
		crossRegion = "Enabled"
	}
	vault, err := rsv.NewVault(ctx, "backup-vault", &rsv.VaultArgs{
		VaultName:         pulumi.String(names.Vault()),
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
		Sku:               &rsv.SkuArgs{Name: pulumi.String("RS0"), Tier: pulumi.String("Standard")},
		Properties: &rsv.VaultPropertiesArgs{
			PublicNetworkAccess: pulumi.String("Enabled"),
			// Redundancy is fixed once the first item is protected, so it is set here, on
			// creation.
			RedundancySettings: &rsv.VaultPropertiesRedundancySettingsArgs{
				StandardTierStorageRedundancy: pulumi.String(b.StorageRedundancy),
				CrossRegionRestore:            pulumi.String(crossRegion),
			},
			SecuritySettings: &rsv.SecuritySettingsArgs{
				SoftDeleteSettings: &rsv.SoftDeleteSettingsArgs{
					SoftDeleteState:                 pulumi.String("Enabled"),
					SoftDeleteRetentionPeriodInDays: pulumi.Int(softDeleteDays),
				},
			},
		},
	}, stateful(cfg)...)
	if err != nil {
		return nil, fmt.Errorf("create backup vault: %w", err)
	}

	at := "2024-01-01T" + b.TimeUTC + ":00Z"
	retention := &recoveryservices.LongTermRetentionPolicyArgs{
		RetentionPolicyType: pulumi.String("LongTermRetentionPolicy"),
		DailySchedule: &recoveryservices.DailyRetentionScheduleArgs{
			RetentionTimes: pulumi.StringArray{pulumi.String(at)},
			RetentionDuration: &recoveryservices.RetentionDurationArgs{
				Count:        pulumi.Int(b.DailyRetentionDays),
				DurationType: pulumi.String("Days"),
			},
		},
	}
	if b.WeeklyRetentionWeeks > 0 {
		retention.WeeklySchedule = &recoveryservices.WeeklyRetentionScheduleArgs{
			DaysOfTheWeek:  recoveryservices.DayOfWeekArray{recoveryservices.DayOfWeekSunday},
			RetentionTimes: pulumi.StringArray{pulumi.String(at)},
			RetentionDuration: &recoveryservices.RetentionDurationArgs{
				Count:        pulumi.Int(b.WeeklyRetentionWeeks),
				DurationType: pulumi.String("Weeks"),
			},
		}
	}
	policy, err := recoveryservices.NewProtectionPolicy(ctx, "backup-policy", &recoveryservices.ProtectionPolicyArgs{
		PolicyName:        pulumi.String("daily-wp-content"),
		VaultName:         vault.Name,
		ResourceGroupName: rg.Name,
		Properties: &recoveryservices.AzureIaaSVMProtectionPolicyArgs{
			BackupManagementType: pulumi.String("AzureIaasVM"),
			// The enhanced policy (V2) is the one Trusted Launch VMs support.
			PolicyType:                    pulumi.String("V2"),
			InstantRpRetentionRangeInDays: pulumi.Int(backupInstantRestoreDays),
			TimeZone:                      pulumi.String("UTC"),
			SchedulePolicy: &recoveryservices.SimpleSchedulePolicyV2Args{
				SchedulePolicyType:   pulumi.String("SimpleSchedulePolicyV2"),
				ScheduleRunFrequency: pulumi.String("Daily"),
				DailySchedule:        &recoveryservices.DailyScheduleArgs{ScheduleRunTimes: pulumi.StringArray{pulumi.String(at)}},
			},
			RetentionPolicy: retention,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("create backup policy: %w", err)
	}

	container := rg.Name.ApplyT(func(g string) string { return "iaasvmcontainer;iaasvmcontainerv2;" + g + ";" + nfs.VMName }).(pulumi.StringOutput)
	item := rg.Name.ApplyT(func(g string) string { return "vm;iaasvmcontainerv2;" + g + ";" + nfs.VMName }).(pulumi.StringOutput)
	_, err = recoveryservices.NewProtectedItem(ctx, "backup-nfs-vm", &recoveryservices.ProtectedItemArgs{
		VaultName:         vault.Name,
		ResourceGroupName: rg.Name,
		FabricName:        pulumi.String("Azure"),
		ContainerName:     container,
		ProtectedItemName: item,
		Properties: &recoveryservices.AzureIaaSComputeVMProtectedItemArgs{
			ProtectedItemType: pulumi.String("Microsoft.Compute/virtualMachines"),
			SourceResourceId:  nfs.VMID.ToStringOutput(),
			PolicyId:          policy.ID().ToStringOutput(),
			ExtendedProperties: &recoveryservices.ExtendedPropertiesArgs{
				DiskExclusionProperties: &recoveryservices.DiskExclusionPropertiesArgs{
					DiskLunList:     pulumi.IntArray{pulumi.Int(backupDataLUN)},
					IsInclusionList: pulumi.Bool(true),
				},
			},
		},
	}, stateful(cfg, pulumi.DependsOn([]pulumi.Resource{nfs.VM}))...)
	if err != nil {
		return nil, fmt.Errorf("protect nfs vm: %w", err)
	}
	return &Backup{Locked: map[string]pulumi.IDOutput{"backup-vault": vault.ID()}}, nil
}
