using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SafeToPutOnline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PublicName",
                table: "AspNetUsers",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AuthorId",
                table: "Articles",
                type: "nvarchar(450)",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ParticipantLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ParticipantId = table.Column<int>(type: "int", nullable: false),
                    TokenHash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ParticipantLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ParticipantLinks_Participants_ParticipantId",
                        column: x => x.ParticipantId,
                        principalTable: "Participants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Data, written by hand: existing private links keep working (one link row each) before the column
            // goes, and articles credit the editor who saved them (shown only once they set a public name).
            // In EXEC: the idempotent script compiles a whole migration as one batch, and a statement naming a
            // column added in that batch (or dropped by an earlier run) would fail to compile.
            migrationBuilder.Sql(
                "EXEC(N'INSERT INTO [ParticipantLinks] ([ParticipantId], [TokenHash], [CreatedAtUtc]) " +
                "SELECT [Id], [TokenHash], [CreatedAtUtc] FROM [Participants] WHERE [AnonymisedAtUtc] IS NULL;');");
            migrationBuilder.Sql(
                "EXEC(N'UPDATE [Articles] SET [AuthorId] = (SELECT [Id] FROM [AspNetUsers] WHERE [AspNetUsers].[NormalizedUserName] = UPPER([Articles].[Author]));');");

            migrationBuilder.DropIndex(
                name: "IX_Participants_TokenHash",
                table: "Participants");

            migrationBuilder.DropColumn(
                name: "TokenHash",
                table: "Participants");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_AuthorId",
                table: "Articles",
                column: "AuthorId");

            migrationBuilder.CreateIndex(
                name: "IX_ParticipantLinks_ParticipantId",
                table: "ParticipantLinks",
                column: "ParticipantId");

            migrationBuilder.CreateIndex(
                name: "IX_ParticipantLinks_TokenHash",
                table: "ParticipantLinks",
                column: "TokenHash",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Articles_AspNetUsers_AuthorId",
                table: "Articles",
                column: "AuthorId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Articles_AspNetUsers_AuthorId",
                table: "Articles");

            migrationBuilder.DropTable(
                name: "ParticipantLinks");

            migrationBuilder.DropIndex(
                name: "IX_Articles_AuthorId",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "PublicName",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "AuthorId",
                table: "Articles");

            migrationBuilder.AddColumn<string>(
                name: "TokenHash",
                table: "Participants",
                type: "nchar(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Participants_TokenHash",
                table: "Participants",
                column: "TokenHash",
                unique: true);
        }
    }
}
