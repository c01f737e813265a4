using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.SqlServer
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
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Data, written by hand: existing articles take the Berlin day they went online (or were created). In
            // EXEC because the idempotent script compiles the migration as one batch, before the column exists.
            migrationBuilder.Sql(
                "EXEC(N'UPDATE [Articles] SET [Date] = CAST(COALESCE([PublishedAtUtc], [CreatedAtUtc]) AT TIME ZONE ''UTC'' AT TIME ZONE ''W. Europe Standard Time'' AS date);');");

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
