using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UpcomingEventsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Events_Status_EndsAtUtc_StartsAtUtc",
                table: "Events",
                columns: new[] { "Status", "EndsAtUtc", "StartsAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_Status_EndsAtUtc_StartsAtUtc",
                table: "Events");
        }
    }
}
