using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EventRegions_RegionsId",
                table: "EventRegions");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Date",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_ArticleRegions_RegionsId",
                table: "ArticleRegions");

            migrationBuilder.CreateIndex(
                name: "IX_Events_EndsAtUtc_Status",
                table: "Events",
                columns: new[] { "EndsAtUtc", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_LatestFirst",
                table: "Events",
                columns: new[] { "StartsAtUtc", "Id", "Status", "EndsAtUtc" },
                descending: new[] { true, true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_EventRegions_RegionsId_EventsId",
                table: "EventRegions",
                columns: new[] { "RegionsId", "EventsId" });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_NewestFirst",
                table: "Articles",
                columns: new[] { "Date", "PublishedAtUtc", "Id", "Status", "DeletedAtUtc" },
                descending: new[] { true, true, true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_ArticleRegions_RegionsId_ArticlesId",
                table: "ArticleRegions",
                columns: new[] { "RegionsId", "ArticlesId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_EndsAtUtc_Status",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_LatestFirst",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_EventRegions_RegionsId_EventsId",
                table: "EventRegions");

            migrationBuilder.DropIndex(
                name: "IX_Articles_NewestFirst",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_ArticleRegions_RegionsId_ArticlesId",
                table: "ArticleRegions");

            migrationBuilder.CreateIndex(
                name: "IX_EventRegions_RegionsId",
                table: "EventRegions",
                column: "RegionsId");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Date",
                table: "Articles",
                column: "Date");

            migrationBuilder.CreateIndex(
                name: "IX_ArticleRegions_RegionsId",
                table: "ArticleRegions",
                column: "RegionsId");
        }
    }
}
