using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SearchDocuments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    EntityId = table.Column<int>(type: "int", nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Slug = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", maxLength: 100000, nullable: false),
                    SortDate = table.Column<DateOnly>(type: "date", nullable: false),
                    VisibleFromUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    IndexedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchDocuments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SearchDocumentRegions",
                columns: table => new
                {
                    DocumentId = table.Column<int>(type: "int", nullable: false),
                    RegionId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchDocumentRegions", x => new { x.DocumentId, x.RegionId });
                    table.ForeignKey(
                        name: "FK_SearchDocumentRegions_SearchDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "SearchDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SearchTerms",
                columns: table => new
                {
                    Term = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    DocumentId = table.Column<int>(type: "int", nullable: false),
                    InTitle = table.Column<bool>(type: "bit", nullable: false),
                    Kind = table.Column<byte>(type: "tinyint", nullable: false),
                    SortDay = table.Column<int>(type: "int", nullable: false),
                    VisibleFromUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchTerms", x => new { x.DocumentId, x.Term });
                    table.ForeignKey(
                        name: "FK_SearchTerms_SearchDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "SearchDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Kind_EntityId",
                table: "SearchDocuments",
                columns: new[] { "Kind", "EntityId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SearchTerms_Ranked",
                table: "SearchTerms",
                columns: new[] { "Term", "InTitle", "SortDay", "DocumentId", "Kind", "VisibleFromUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SearchDocumentRegions");

            migrationBuilder.DropTable(
                name: "SearchTerms");

            migrationBuilder.DropTable(
                name: "SearchDocuments");
        }
    }
}
