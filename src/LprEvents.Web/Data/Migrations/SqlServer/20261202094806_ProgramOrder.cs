using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LprEvents.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ProgramOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SortOrder",
                table: "Sessions",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SortOrder",
                table: "Sessions");
        }
    }
}
