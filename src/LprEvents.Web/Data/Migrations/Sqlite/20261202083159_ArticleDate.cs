using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ArticleDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "Date",
                table: "Articles",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Data, written by hand: existing articles take the day they went online (or were created). SQLite knows
            // no time zones: UTC+1 (CET) is exact in winter and off by one day only for a summer publication 22–23 h UTC.
            migrationBuilder.Sql(
                "UPDATE \"Articles\" SET \"Date\" = date(COALESCE(\"PublishedAtUtc\", \"CreatedAtUtc\"), '+1 hours');");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Date",
                table: "Articles",
                column: "Date");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Articles_Date",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Date",
                table: "Articles");
        }
    }
}
