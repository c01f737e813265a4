using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PendingArticleVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PendingBody",
                table: "Articles",
                type: "nvarchar(max)",
                maxLength: 100000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PendingSavedAtUtc",
                table: "Articles",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingSavedBy",
                table: "Articles",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingTeaser",
                table: "Articles",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingTitle",
                table: "Articles",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PendingBody",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "PendingSavedAtUtc",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "PendingSavedBy",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "PendingTeaser",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "PendingTitle",
                table: "Articles");
        }
    }
}
