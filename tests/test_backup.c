/* stub: being written */
#include "gp-test.h"

static void test_placeholder_backup(void)
{
  CU_PASS("stub");
}

static const GpTestCase cases[] = {
  GP_TEST(test_placeholder_backup),
};
GP_TEST_MAIN("backup", cases)
