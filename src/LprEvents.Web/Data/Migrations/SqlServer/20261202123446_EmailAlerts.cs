using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EmailAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UnsubscribeUrl",
                table: "OutboxMessages",
                type: "nvarchar(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PublishedAtUtc",
                table: "Events",
                type: "datetime2",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlertSubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Email = table.Column<string>(type: "nvarchar(254)", maxLength: 254, nullable: false),
                    EmailNormalized = table.Column<string>(type: "nvarchar(254)", maxLength: 254, nullable: false),
                    AllRegions = table.Column<bool>(type: "bit", nullable: false),
                    ConsentedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ConfirmedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastDigestAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertSubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SubscriptionId = table.Column<int>(type: "int", nullable: false),
                    TokenHash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertLinks_AlertSubscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "AlertSubscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AlertSubscriptionRegions",
                columns: table => new
                {
                    AlertSubscriptionId = table.Column<int>(type: "int", nullable: false),
                    RegionsId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertSubscriptionRegions", x => new { x.AlertSubscriptionId, x.RegionsId });
                    table.ForeignKey(
                        name: "FK_AlertSubscriptionRegions_AlertSubscriptions_AlertSubscriptionId",
                        column: x => x.AlertSubscriptionId,
                        principalTable: "AlertSubscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AlertSubscriptionRegions_Regions_RegionsId",
                        column: x => x.RegionsId,
                        principalTable: "Regions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertLinks_CreatedAtUtc",
                table: "AlertLinks",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AlertLinks_SubscriptionId",
                table: "AlertLinks",
                column: "SubscriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertLinks_TokenHash",
                table: "AlertLinks",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AlertSubscriptionRegions_RegionsId",
                table: "AlertSubscriptionRegions",
                column: "RegionsId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertSubscriptions_ConfirmedAtUtc_LastDigestAtUtc",
                table: "AlertSubscriptions",
                columns: new[] { "ConfirmedAtUtc", "LastDigestAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertSubscriptions_EmailNormalized",
                table: "AlertSubscriptions",
                column: "EmailNormalized",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertLinks");

            migrationBuilder.DropTable(
                name: "AlertSubscriptionRegions");

            migrationBuilder.DropTable(
                name: "AlertSubscriptions");

            migrationBuilder.DropColumn(
                name: "UnsubscribeUrl",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "PublishedAtUtc",
                table: "Events");
        }
    }
}
